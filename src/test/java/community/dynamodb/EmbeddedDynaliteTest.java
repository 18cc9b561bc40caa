package community.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import community.testing.LogCapture;

/**
 * The embedded store's data folder holds every member's name and address: only the service's user may read it. A
 * client that goes away before its answer (a timeout, a service stopped mid-request) does not stop the store, and
 * a store that dies all the same is started again where the service looks for it.
 */
class EmbeddedDynaliteTest {

    @TempDir
    Path folder;

    @Test
    void the_data_folder_is_created_readable_by_its_owner_only() throws IOException {
        Path data = folder.resolve("data");
        Path home = Path.of("embedded-dynamodb");
        try (EmbeddedDynalite store = EmbeddedDynalite.start(home, 0, data.resolve("dynamodb"))) {
            assertThat(store.endpoint()).startsWith("http://127.0.0.1:");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("dynamodb"))))
                .isEqualTo("rwx------");
    }

    @Test
    void a_shared_folder_named_for_the_data_is_left_as_it_is_and_the_store_s_own_folder_is_closed() throws IOException {
        // SIGNUP_DATA_DIR=/srv, say: a folder that holds other things than the store's
        Path shared = Files.createDirectories(folder.resolve("srv"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(shared.resolve("other-service.conf"), "");
        Path store = Files.createDirectories(shared.resolve("dynamodb"));
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));

        EmbeddedDynalite.createPrivately(store);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rwx------");
    }

    @Test
    void a_data_folder_that_cannot_be_made_stops_the_start_saying_where_and_why() throws IOException {
        Path file = Files.writeString(folder.resolve("not-a-folder"), "");
        Path dataDir = file.resolve("dynamodb");

        assertThatThrownBy(() -> EmbeddedDynalite.start(Path.of("embedded-dynamodb"), 0, dataDir))
                .isInstanceOf(StoreNotStarted.class).hasMessage("the embedded DynamoDB store cannot keep its data in "
                        + dataDir.toAbsolutePath() + " (SIGNUP_DATA_DIR): " + file.toAbsolutePath() + " is a file, not a folder");
    }

    @Test
    void a_data_folder_left_open_by_an_earlier_version_is_closed() throws IOException {
        Path data = Files.createDirectories(folder.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        EmbeddedDynalite.createPrivately(data.resolve("dynamodb"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    }

    static DynamoDbClient client(String endpoint, String accessKey) {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "local")))
                .build();
    }

    @Test
    void the_services_own_store_answers_only_its_key_which_no_other_user_can_read() throws IOException {
        // the store listens on loopback, where every user of the machine can connect: without the key, the data
        // folder's 0700 kept no one from reading every member through the port
        try (EmbeddedDynalite store = EmbeddedDynalite.startPrivate(Path.of("embedded-dynamodb"), 0, null);
                DynamoDbClient stranger = client(store.endpoint(), "local");
                DynamoDbClient service = client(store.endpoint(), store.accessKey())) {
            assertThatThrownBy(stranger::listTables).isInstanceOf(DynamoDbException.class)
                    .hasMessageContaining("The security token included in the request is invalid");
            assertThat(service.listTables().tableNames()).isEmpty();
            // in the store's environment (readable by its user only), not on its command line (readable by all)
            assertThat(Files.readString(Path.of("/proc/" + store.pid() + "/cmdline"))).doesNotContain(store.accessKey());
            assertThat(Files.readString(Path.of("/proc/" + store.pid() + "/environ")))
                    .contains("SIGNUP_DYNALITE_ACCESS_KEY=" + store.accessKey());
            // started again after a crash, it still answers the key and nothing else
            long first = store.pid();
            ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> store.pid() != first && service.listTables().tableNames().isEmpty());
            assertThatThrownBy(stranger::listTables).isInstanceOf(DynamoDbException.class);
        }
    }

    @Test
    void a_client_that_goes_away_mid_request_leaves_the_store_running() throws IOException {
        try (EmbeddedDynalite store = EmbeddedDynalite.start(Path.of("embedded-dynamodb"), 0, null);
                DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(store.endpoint()))
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("local", "local"))).build()) {
            URI endpoint = URI.create(store.endpoint());
            try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        + "X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 100\r\n\r\n{\"Limit\":")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            // dynalite used to throw on the reset and exit within milliseconds; the store must keep answering
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                    .until(() -> client.listTables().tableNames() != null);
        }
    }

    @Test
    void ctrl_c_to_the_whole_group_leaves_the_store_to_the_service_which_stops_it() throws Exception {
        long pid;
        try (EmbeddedDynalite store = EmbeddedDynalite.start(Path.of("embedded-dynamodb"), 0, null);
                DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(store.endpoint()))
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("local", "local"))).build()) {
            pid = store.pid();
            // Ctrl-C in a terminal signals the whole foreground group, the store with the service; a closed
            // terminal, everything it started
            for (String signal : List.of("INT", "HUP")) {
                assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor()).isZero();
            }
            // the service still has outcomes to write as it stops
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                    .until(() -> client.listTables().tableNames() != null);
            assertThat(store.pid()).as("the same store, not one started again").isEqualTo(pid);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
    }

    @Test
    void a_store_that_dies_is_started_again_on_its_port_with_its_data() {
        try (EmbeddedDynalite store = EmbeddedDynalite.start(Path.of("embedded-dynamodb"), 0,
                folder.resolve("data").resolve("dynamodb"));
                DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(store.endpoint()))
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("local", "local"))).build()) {
            client.createTable(b -> b.tableName("kept").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("email").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("email").attributeType("S")));
            long first = store.pid();

            ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);

            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> store.pid() != first && client.listTables().tableNames().contains("kept"));
        }
    }

    @Test
    void a_store_sent_sigterm_while_the_service_runs_is_an_error_and_is_started_again() throws Exception {
        try (LogCapture log = LogCapture.start();
                EmbeddedDynalite store = EmbeddedDynalite.start(Path.of("embedded-dynamodb"), 0, null)) {
            long first = store.pid();

            // a SIGTERM for the store alone: the service goes on, so this is no part of a stop
            assertThat(new ProcessBuilder("kill", "-TERM", String.valueOf(first)).start().waitFor()).isZero();

            await().atMost(Duration.ofSeconds(20)).until(() -> store.pid() != first);
            assertThat(log.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).isEqualTo("The embedded DynamoDB store (dynalite) stopped "
                        + "with exit code 143; starting it again on port " + store.endpoint().replaceAll(".*:", ""));
            });
        }
    }
}
