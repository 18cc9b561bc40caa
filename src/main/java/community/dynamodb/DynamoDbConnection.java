package community.dynamodb;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Where DynamoDB is: an endpoint (DYNAMODB_ENDPOINT), AWS itself (AWS_REGION, with the default credentials
 * chain), or, with neither, a dynalite process of our own keeping its data under ./data/.
 * <p>
 * The store's client, for reads, listings and table creation, with the SDK's own retries, and its writes, which
 * every sign-up waits for ({@link #writes}), share one connection pool whose reads time out after
 * {@value #STORE_TIMEOUT_SECONDS} s. The health check and RecordDB's {@code aws2-ddb:} endpoint, whose route's
 * policy decides what to try again, have a client without retries on a pool of their own, whose reads time out
 * after one attempt's timeout ({@code dynamodb.timeout}). The timeouts are the connections' own: the SDK's
 * per-attempt timer would schedule and cancel a task on every call (measured: docs/benchmark-history.md).
 */
public final class DynamoDbConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbConnection.class);
    /**
     * A local store takes any credentials, but the SDK and the signature insist on some; the embedded one answers
     * only its own key.
     */
    private static AwsCredentialsProvider localCredentials(EmbeddedDynalite embedded) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                embedded == null ? "local" : embedded.accessKey(), "local"));
    }

    private static final int STORE_TIMEOUT_SECONDS = 5;

    /**
     * DynamoDB's words without the identities in them, for where visitors read them (a step's cause, the health
     * check): a refused call's message names the caller (an IAM user, or a role with its session name, often a
     * person's address) and the account. A table keeps its name (which table was refused is the operator's clue);
     * any other ARN becomes "the service's AWS identity".
     */
    public static String withoutIdentities(String message) {
        return message == null ? null : ARN.matcher(message).replaceAll(arn -> arn.group(1).equals("dynamodb")
                ? Matcher.quoteReplacement(arn.group(2)) : "the service's AWS identity");
    }

    /** An ARN: its service, and its resource after the account. */
    private static final Pattern ARN = Pattern.compile("arn:aws[\\w-]*:([\\w-]+):[\\w-]*:\\d*:([^\\s,;]*)");

    private final EmbeddedDynalite embedded;
    private final SdkHttpClient http;
    private final SdkHttpClient probeHttp;
    private final DynamoDbClient storeClient;
    private final DynamoDbClient probeClient;
    private final String description;
    private final String endpoint;
    private final String region;

    private DynamoDbConnection(EmbeddedDynalite embedded, SdkHttpClient http, SdkHttpClient probeHttp,
            DynamoDbClient storeClient, DynamoDbClient probeClient, String description, String endpoint,
            String region) {
        this.probeHttp = probeHttp;
        this.endpoint = endpoint;
        this.region = region;
        this.embedded = embedded;
        this.http = http;
        this.storeClient = storeClient;
        this.probeClient = probeClient;
        this.description = description;
    }

    public static DynamoDbConnection open(String endpoint, String region, Path dynaliteHome, Path dataDir,
            Duration attemptTimeout, DynamoDbRequests requests) {
        EmbeddedDynalite embedded = null;
        String description;
        if (isSet(endpoint)) {
            description = "DynamoDB at " + endpoint;
        } else if (isSet(region)) {
            description = "AWS DynamoDB in " + region;
        } else {
            embedded = EmbeddedDynalite.startPrivate(dynaliteHome, 0, dataDir);
            endpoint = embedded.endpoint();
            description = "the embedded DynamoDB-compatible store (dynalite) at " + endpoint + ", data in "
                    + dataDir.toAbsolutePath().normalize();
        }
        SdkHttpClient http = connections(128, Duration.ofSeconds(STORE_TIMEOUT_SECONDS));
        SdkHttpClient probeHttp = connections(64, attemptTimeout);
        DynamoDbClient store = located(DynamoDbClient.builder().httpClient(http), endpoint, region, embedded)
                .overrideConfiguration(c -> c.addExecutionInterceptor(requests)).build();
        DynamoDbClient probes = located(DynamoDbClient.builder().httpClient(probeHttp), endpoint, region, embedded)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(requests))
                .build();
        LOG.info("Using {}", description);
        return new DynamoDbConnection(embedded, http, probeHttp, store, probes, description, endpoint, region);
    }

    private static SdkHttpClient connections(int max, Duration readTimeout) {
        return ApacheHttpClient.builder().maxConnections(max).connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(readTimeout).build();
    }

    private static <B extends AwsClientBuilder<B, ?>> B located(B builder, String endpoint, String region,
            EmbeddedDynalite embedded) {
        if (isSet(endpoint)) {
            // A local store takes any credentials, but the SDK insists on having some and a region.
            builder.endpointOverride(URI.create(endpoint))
                    .region(Region.of(localRegion(region)))
                    .credentialsProvider(localCredentials(embedded));
        } else {
            builder.region(Region.of(region));
        }
        return builder;
    }

    /** A local store takes any region; the SDK and the signature want one. */
    private static String localRegion(String region) {
        return isSet(region) ? region : "us-east-1";
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /**
     * The client of the writes every sign-up makes (store, renew, finish), on the store's connections:
     * {@code retries} SDK retries of throttling, 5xx, connection errors and timeouts. Synchronous: measured against
     * the SDK's asynchronous client on Netty, it cost a third less CPU per sign-up and 15 MiB less memory
     * (docs/benchmark-history.md). The caller closes it.
     */
    public DynamoDbClient writes(int retries, DynamoDbRequests requests) {
        return located(DynamoDbClient.builder().httpClient(http), endpoint, region, embedded)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(retries + 1).build())
                        .addExecutionInterceptor(requests))
                .build();
    }

    /** A store on this machine or beside it (an endpoint, or the embedded one), not AWS. */
    public boolean local() {
        return isSet(endpoint);
    }

    public DynamoDbClient storeClient() {
        return storeClient;
    }

    public DynamoDbClient probeClient() {
        return probeClient;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        storeClient.close();
        probeClient.close();
        http.close();
        probeHttp.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
