package community.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

import community.observe.SignupMetrics;

/**
 * The service's own DynamoDB writes are signed exactly as the AWS SDK signs them (Signature Version 4): same
 * request, same instant, same credentials, same Authorization header; with and without a session token, on AWS
 * and on a local endpoint with a port.
 */
class DynamoDbHttpSigningTest {

    static final Vertx vertx = Vertx.vertx();
    static final byte[] PAYLOAD = ("{\"TableName\":\"signup-executions\","
            + "\"Item\":{\"email\":{\"S\":\"ada@example.org\"}}}").getBytes(StandardCharsets.UTF_8);

    @AfterAll
    static void close() {
        vertx.close();
    }

    @ParameterizedTest
    @CsvSource({
            "https://dynamodb.eu-west-1.amazonaws.com, eu-west-1, ",
            "https://dynamodb.us-east-2.amazonaws.com, us-east-2, FwoGZXIvYXdzEJr//session+token=",
            "http://127.0.0.1:18000, us-east-1, "})
    void signs_like_the_aws_sdk(String endpoint, String region, String sessionToken) {
        Instant at = Instant.parse("2026-11-25T13:14:15Z");
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        AwsCredentials credentials = sessionToken == null
                ? AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
                : AwsSessionCredentials.create("ASIAEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken);
        DynamoDbHttp ours = new DynamoDbHttp(vertx, URI.create(endpoint), region,
                StaticCredentialsProvider.create(credentials), clock, 1000, 0, 1,
                new DynamoDbRequests(new SignupMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))));
        try {
            RequestOptions signed = ours.signed("PutItem", PAYLOAD);

            SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                    .uri(URI.create(endpoint + "/"))
                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                    .putHeader("X-Amz-Target", "DynamoDB_20120810.PutItem").build();
            SdkHttpRequest bySdk = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request)
                    .payload(ContentStreamProvider.fromByteArray(PAYLOAD))
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();

            assertThat(signed.getHeaders().get("Authorization"))
                    .isEqualTo(bySdk.firstMatchingHeader("Authorization").orElseThrow());
            assertThat(signed.getHeaders().get("X-Amz-Date"))
                    .isEqualTo(bySdk.firstMatchingHeader("X-Amz-Date").orElseThrow());
            assertThat(signed.getHeaders().get("X-Amz-Security-Token")).isEqualTo(sessionToken);
        } finally {
            ours.close();
        }
    }
}
