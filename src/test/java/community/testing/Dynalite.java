package community.testing;

import java.net.URI;
import java.nio.file.Path;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import community.dynamodb.EmbeddedDynalite;

/** One real dynalite process for the whole test run, in memory; each service under test gets its own tables. */
public final class Dynalite {

    private static EmbeddedDynalite process;
    private static DynamoDbClient client;

    private Dynalite() {
    }

    public static synchronized String endpoint() {
        if (process == null) {
            process = EmbeddedDynalite.start(Path.of("embedded-dynamodb"), 0, null);
            Runtime.getRuntime().addShutdownHook(new Thread(process::close));
        }
        return process.endpoint();
    }

    /**
     * Makes a WireMock server a proxy in front of dynalite, which stubs of a higher priority (below 10) then
     * override for the requests they match: a DynamoDB that is slow, or answers errors, for some requests only.
     */
    public static void behind(WireMockServer proxy) {
        proxy.stubFor(WireMock.any(WireMock.anyUrl()).atPriority(10)
                .willReturn(WireMock.aResponse().proxiedFrom(endpoint())));
    }

    /** A client for the tests' own look-ups: what a user would find in the tables. */
    public static synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                    .build();
        }
        return client;
    }
}
