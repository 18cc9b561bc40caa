package community.testing;

import java.net.URI;
import java.nio.file.Path;

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
