package community;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import community.dynamodb.EmbeddedDynalite;
import community.testing.ServiceProcess;
import community.testing.Upstreams;

/**
 * A first start against a DynamoDB endpoint of the operator's own (not the embedded store) that does not have the
 * tables yet, the way the README says to start the service: {@code bin/community-signup}, here from a folder that is
 * not the repository's. The store is dynalite as its own command starts it, keeping new tables CREATING for 500 ms
 * as DynamoDB keeps them for a while; the SDK's waiter, polling every 20 s, made this start take 40 s.
 */
class StartupIT {

    static final Pattern LISTENING = Pattern.compile("listening at: \\w+://[^:]+:(\\d+)");
    static Process store;
    static String endpoint;

    @TempDir
    Path elsewhere;

    @BeforeAll
    static void startStore() throws Exception {
        int free = AvailablePortFinder.getNextAvailable();
        store = new ProcessBuilder("node", "embedded-dynamodb/node_modules/dynalite/cli.js", "--port",
                String.valueOf(free), "--host", "127.0.0.1").redirectErrorStream(true).start();
        CompletableFuture<String> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(store.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        endpoint = "http://127.0.0.1:" + port.get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopStore() {
        store.destroy();
    }

    @Test
    void the_launcher_works_through_a_link_to_it_from_any_folder() throws IOException {
        Path bin = Files.createDirectories(elsewhere.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("community-signup"),
                Path.of("bin", "community-signup").toAbsolutePath());
        Path folder = Files.createDirectories(elsewhere.resolve("somewhere"));
        Map<String, String> environment = ownTables("link", "SIGNUP_ROUTES_RELOAD", "false");

        signUpAndStop(ServiceProcess.startThroughLink("through-link", environment, folder, 15, link),
                "link@example.org");
    }

    @Test
    void a_first_start_creates_the_tables_without_waiting_on_the_sdk_and_a_second_finds_them() throws IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> environment = Map.of("DYNAMODB_ENDPOINT", endpoint,
                "DYNAMODB_TABLE", "first-members-" + suffix, "DYNAMODB_EXECUTIONS_TABLE", "first-executions-" + suffix,
                "SIGNUP_ROUTES_RELOAD", "false");
        assertThat(elsewhere.resolve("application.properties")).doesNotExist();

        ServiceProcess first = ServiceProcess.startWithLauncher("first-start", environment, elsewhere, 15);
        try {
            JsonNode signUp = first.post("/signup?wait=true",
                    "{\"email\":\"first@example.org\",\"name\":\"Fir St\"}");
            assertThat(signUp.path("body").path("status").asText()).as(signUp.toString()).isEqualTo("SUCCEEDED");
        } finally {
            first.sendTerm();
            first.awaitExit();
        }
        assertThat(first.log()).contains("Creating DynamoDB table first-members-" + suffix,
                "Creating DynamoDB table first-executions-" + suffix)
                .containsPattern("tables .* are active after \\d+ ms");

        ServiceProcess second = ServiceProcess.startWithLauncher("second-start", environment, elsewhere, 15);
        second.sendTerm();
        second.awaitExit();
        assertThat(second.log()).doesNotContain("Creating DynamoDB table").doesNotContain("are active after");
        assertThat(second.log().lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")))
                .as("an operator's start and stop log nothing alarming").isEmpty();
        assertThat(Files.exists(elsewhere.resolve("data"))).as("an endpoint was given: no embedded store").isFalse();
    }

    @Test
    void a_start_after_the_first_maps_the_classes_the_first_archived_as_it_stopped() throws IOException {
        Path archive = elsewhere.resolve("classes.jsa");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> environment = Map.of("DYNAMODB_ENDPOINT", endpoint,
                "DYNAMODB_TABLE", "archive-members-" + suffix, "DYNAMODB_EXECUTIONS_TABLE",
                "archive-executions-" + suffix, "SIGNUP_ROUTES_RELOAD", "false",
                "SIGNUP_CLASS_ARCHIVE", archive.toString());

        ServiceProcess first = ServiceProcess.startWithLauncher("archive-first", environment, elsewhere, 15);
        assertThat(mapped(first)).as("no archive yet").doesNotContain(archive.toString());
        first.sendTerm();
        first.awaitExit();
        assertThat(archive.resolveSibling("classes.jsa." + first.pid())).as("written as it stopped").isRegularFile();
        assertThat(archive.resolveSibling("classes.jsa." + first.pid() + ".jfr")).as("no JFR, no mark").doesNotExist();

        ServiceProcess second = ServiceProcess.startWithLauncher("archive-second", environment, elsewhere, 15);
        try {
            assertThat(archive).as("taken over from the first").isRegularFile();
            assertThat(mapped(second)).contains(archive.toString());
            JsonNode signUp = second.post("/signup?wait=true", "{\"email\":\"archived@example.org\"}");
            assertThat(signUp.path("body").path("status").asText()).as(signUp.toString()).isEqualTo("SUCCEEDED");
        } finally {
            second.sendTerm();
            second.awaitExit();
        }
        assertThat(second.log().lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")
                || line.contains("shared archive"))).as("nothing said about the archive").isEmpty();
    }

    @Test
    void an_archive_written_by_a_jvm_in_which_jfr_recorded_is_thrown_away_not_taken_over() throws Exception {
        Path archive = elsewhere.resolve("classes.jsa");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> environment = Map.of("DYNAMODB_ENDPOINT", endpoint,
                "DYNAMODB_TABLE", "jfr-members-" + suffix, "DYNAMODB_EXECUTIONS_TABLE", "jfr-executions-" + suffix,
                "SIGNUP_ROUTES_RELOAD", "false", "SIGNUP_CLASS_ARCHIVE", archive.toString());
        // as on 12-03: a recording started on the running service (one from its start the JVM turns off while it
        // is to write an archive)
        ServiceProcess profiled = ServiceProcess.startWithLauncher("archive-profiled", environment, elsewhere, 15);
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(profiled.pid()), "JFR.start", "settings=profile",
                "filename=" + elsewhere.resolve("profile.jfr")).redirectErrorStream(true).start();
        String said = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(30, TimeUnit.SECONDS) && jcmd.exitValue() == 0).as(said).isTrue();
        profiled.sendTerm();
        profiled.awaitExit();
        Path dump = archive.resolveSibling("classes.jsa." + profiled.pid());
        assertThat(dump).as("written as it stopped").isRegularFile();
        assertThat(dump.resolveSibling(dump.getFileName() + ".jfr")).as("marked").isRegularFile();

        ServiceProcess next = ServiceProcess.startWithLauncher("archive-after-profiling", environment, elsewhere, 15);
        try {
            assertThat(archive).as("not taken over").doesNotExist();
            assertThat(dump).as("thrown away").doesNotExist();
            assertThat(dump.resolveSibling(dump.getFileName() + ".jfr")).doesNotExist();
            assertThat(mapped(next)).doesNotContain(archive.toString());
        } finally {
            next.sendTerm();
            next.awaitExit();
        }
        assertThat(archive.resolveSibling("classes.jsa." + next.pid())).as("a new one written instead").isRegularFile();
    }

    /** Java 25, the current long-term release, where this machine has it (the project's own runs on Java 17). */
    @Test
    void on_java_25_the_launcher_starts_the_service_without_the_jvms_warnings() throws IOException {
        Path java25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin");
        Assumptions.assumeTrue(Files.isExecutable(java25.resolve("java")), "no Java 25 at " + java25);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> environment = Map.of("DYNAMODB_ENDPOINT", endpoint,
                "DYNAMODB_TABLE", "java25-members-" + suffix, "DYNAMODB_EXECUTIONS_TABLE", "java25-executions-" + suffix,
                "SIGNUP_ROUTES_RELOAD", "false", "SIGNUP_CLASS_ARCHIVE", "off");

        ServiceProcess service = ServiceProcess.startWithLauncher("java25", environment, elsewhere, 15, java25);
        try {
            assertThat(Files.readSymbolicLink(Path.of("/proc", String.valueOf(service.pid()), "exe")))
                    .as("the JVM running").startsWith(java25.getParent());
            JsonNode signUp = service.post("/signup?wait=true", "{\"email\":\"java25@example.org\"}");
            assertThat(signUp.path("body").path("status").asText()).as(signUp.toString()).isEqualTo("SUCCEEDED");
        } finally {
            service.sendTerm();
            service.awaitExit();
        }
        assertThat(service.log()).doesNotContain("WARNING").doesNotContain(" WARN ")
                .doesNotContain(" ERROR ");
    }

    @Test
    void a_setting_given_as_nothing_is_one_not_set() throws IOException {
        Path folder = ServiceProcess.operatorFolder("blank-settings");
        Files.writeString(folder.resolve("signup.env"),
                "ACTIVECAMPAIGN_URL=\nSLACK_INVITE_URL=https://join.slack.com/t/blank/shared_invite/link\n");
        // every setting the way a compose file passes an unset ${VAR}: there, and empty (the port is the test's)
        Map<String, String> environment = new HashMap<>();
        Settings.KNOWN.forEach(key -> environment.put(Settings.variable(key), ""));
        // and the log's format, which logback reads: set to nothing, it logged nothing at all
        environment.put("SIGNUP_LOG_FORMAT", "");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        environment.putAll(Map.of("DYNAMODB_ENDPOINT", endpoint, "DYNAMODB_TABLE", "blank-members-" + suffix,
                "DYNAMODB_EXECUTIONS_TABLE", "blank-executions-" + suffix));

        ServiceProcess service = ServiceProcess.startWithLauncher("blank-settings", environment, folder, 15);
        try {
            JsonNode signUp = service.post("/signup?wait=true", "{\"email\":\"blank@example.org\"}").path("body");
            assertThat(signUp.path("status").asText()).as(signUp.toString()).isEqualTo("SUCCEEDED");
            assertThat(signUp.at("/results/RecordAC/error").asText()).isEqualTo("NotConfigured");
            assertThat(signUp.at("/results/InviteSlack/inviteUrl").asText()).as("the file's, the variable is empty")
                    .isEqualTo("https://join.slack.com/t/blank/shared_invite/link");
        } finally {
            service.sendTerm();
            service.awaitExit();
        }
        assertThat(service.log()).as("application.properties' defaults in effect")
                .contains("slack.timeout=6000", "signup.rate-limit=10", "signup.routes-reload=true")
                .doesNotContain("Exception");
    }

    static final String PADDED_LINK = "https://join.slack.com/t/padded/shared_invite/zt-padded-1";

    @Test
    void a_setting_with_spaces_around_it_is_its_value_and_a_timeout_may_be_in_seconds() throws IOException {
        WireMockServer activeCampaign = new WireMockServer(options().dynamicPort());
        activeCampaign.start();
        Upstreams.answerNormally(activeCampaign);
        try {
            // as a copied line, or a value quoted in a compose file or a unit's Environment=, may leave them: the
            // padded URL stopped the start with a stack trace, and a padded key went out with its spaces; and a
            // timeout in seconds, as the README allows durations, stopped it too (camel-http takes milliseconds)
            ServiceProcess service = ServiceProcess.startWithLauncher("padded", ownTables("padded",
                    "ACTIVECAMPAIGN_URL", " " + activeCampaign.baseUrl() + " ", "ACTIVECAMPAIGN_API_KEY", " padded-key\t",
                    "ACTIVECAMPAIGN_TIMEOUT", " 5s ", "ACTIVECAMPAIGN_RETRY_DELAY", "1s", "SLACK_TIMEOUT", "1m",
                    "ACTIVECAMPAIGN_RATE_LIMIT", " 0 ", "SLACK_INVITE_URL", " " + PADDED_LINK + " \t"),
                    ServiceProcess.operatorFolder("padded"), 15);
            JsonNode signUp = signUpAndStop(service, "padded@example.org");
            // the link the person is handed, as the operator meant it
            assertThat(signUp.path("results").path("InviteSlack").path("inviteUrl").asText()).isEqualTo(PADDED_LINK);
            activeCampaign.verify(postRequestedFor(urlEqualTo(Upstreams.AC_SYNC))
                    .withHeader("Api-Token", equalTo("padded-key")));
        } finally {
            activeCampaign.stop();
        }
    }

    @Test
    void json_logs_are_one_object_a_line_and_a_format_it_cannot_write_stops_the_start() throws Exception {
        Path folder = ServiceProcess.operatorFolder("json-log");
        ServiceProcess service = ServiceProcess.startWithLauncher("json-log",
                ownTables("json", "SIGNUP_LOG_FORMAT", "JSON"), folder, 15);
        signUpAndStop(service, "json@example.org");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : service.log().lines().toList()) {
            lines.add(json.readTree(line));
        }
        assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText())
                .startsWith("Configuration in effect: ")).anySatisfy(line -> assertThat(
                        line.path("formattedMessage").asText()).matches("Execution \\S+ SUCCEEDED in \\d+ ms: .*"));

        Refused xml = startRefused(folder, Map.of("SIGNUP_LOG_FORMAT", "xml"));
        assertThat(xml.exit()).as(xml.output()).isEqualTo(2);
        assertThat(xml.output().strip()).isEqualTo("Not starting: SIGNUP_LOG_FORMAT must be text or json: 'xml'");
    }

    @Test
    void the_route_files_may_be_in_a_folder_signup_env_names() throws IOException {
        Path folder = ServiceProcess.operatorFolder("routes-elsewhere");
        Path flow = Files.createDirectories(folder.resolve("flow"));
        try (var files = Files.list(folder.resolve("routes"))) {
            for (Path file : files.toList()) {
                Files.move(file, flow.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.delete(folder.resolve("routes"));
        Files.writeString(folder.resolve("signup.env"), "SIGNUP_ROUTES_DIRECTORY=flow\n");
        ServiceProcess service = ServiceProcess.startWithLauncher("routes-elsewhere", ownTables("flow"), folder, 15);
        signUpAndStop(service, "flow@example.org");
        assertThat(service.log()).contains("Read 1 setting(s) from signup.env: [signup.routes-directory]",
                "signup.routes-directory=flow", "Live route reloading enabled (directory: flow)");
    }

    @Test
    void a_stop_signalled_to_the_whole_process_group_as_systemd_does_is_no_error_and_frees_the_data() {
        Path folder = ServiceProcess.operatorFolder("group-stop");
        Map<String, String> environment = Map.of("SIGNUP_DYNALITE_HOME",
                Path.of("embedded-dynamodb").toAbsolutePath().toString(), "SIGNUP_ROUTES_RELOAD", "false");
        String email = "group-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";

        ServiceProcess service = ServiceProcess.startWithLauncherInItsOwnGroup("group-stop", environment, folder, 20);
        try {
            JsonNode signUp = service.post("/signup?wait=true", "{\"email\":\"" + email + "\"}").path("body");
            assertThat(signUp.path("status").asText()).as(signUp.toString()).isEqualTo("SUCCEEDED");
        } finally {
            service.sendTermToGroup();
            service.awaitExit();
        }
        assertThat(service.log()).doesNotContain(" ERROR ").doesNotContain(" WARN ");

        // the store it started again for its last writes ended with it: the next start has the data folder
        ServiceProcess next = ServiceProcess.startWithLauncherInItsOwnGroup("group-stop-next", environment, folder, 20);
        try {
            JsonNode again = next.post("/signup", "{\"email\":\"" + email + "\"}").path("body");
            assertThat(again.path("status").asText()).as(again.toString()).isEqualTo("ALREADY_SIGNED_UP");
        } finally {
            next.sendTerm();
            next.awaitExit();
        }
    }

    @Test
    void a_second_copy_on_the_same_data_folder_stops_with_one_line_saying_why() throws Exception {
        Path folder = ServiceProcess.operatorFolder("held-data");
        // the first copy's store, holding the data folder
        try (EmbeddedDynalite first = EmbeddedDynalite.start(Path.of("embedded-dynamodb").toAbsolutePath(), 0,
                folder.resolve("data").resolve("dynamodb"))) {
            Refused second = startRefused(folder, Map.of("SIGNUP_DYNALITE_HOME",
                    Path.of("embedded-dynamodb").toAbsolutePath().toString()));

            assertThat(second.exit()).as(second.output()).isEqualTo(2);
            assertThat(second.output()).contains("Not starting: could not start the embedded DynamoDB store: "
                    + "dynalite exited with code 1: dynalite cannot use data/dynamodb: another process (a second "
                    + "instance of the service?) is using it").doesNotContain("Exception");
        }
    }

    @Test
    void a_store_nothing_answers_at_stops_the_start_with_one_line_naming_it() throws Exception {
        int closed = AvailablePortFinder.getNextAvailable();
        Refused start = startRefused(ServiceProcess.operatorFolder("no-store"),
                Map.of("DYNAMODB_ENDPOINT", "http://127.0.0.1:" + closed));

        assertThat(start.exit()).as(start.output()).isEqualTo(2);
        assertThat(start.output()).containsPattern("Not starting: cannot use DynamoDB at http://127.0.0.1:" + closed
                + " to find or create the tables: Unable to execute HTTP request: Connect to 127.0.0.1:" + closed
                + " .* failed: Connection refused").doesNotContain("Exception").doesNotContain("SIGTERM");
    }

    @Test
    void the_embedded_store_without_node_stops_the_start_with_one_line_saying_what_to_do() throws Exception {
        Refused start = startRefused(ServiceProcess.operatorFolder("no-node"), Map.of("PATH", "/nonexistent",
                "SIGNUP_DYNALITE_HOME", Path.of("embedded-dynamodb").toAbsolutePath().toString()));

        assertThat(start.exit()).as(start.output()).isEqualTo(2);
        assertThat(start.output()).contains("Not starting: the embedded DynamoDB store runs on Node.js, which is not "
                + "on the PATH (Cannot run program \"node\"").contains("install it, or set DYNAMODB_ENDPOINT or "
                + "AWS_REGION").doesNotContain("Exception").doesNotContain("SIGTERM");
    }

    @Test
    void the_jar_run_from_a_folder_without_the_service_s_files_says_where_to_run_it() throws Exception {
        Refused empty = startRefused(elsewhere, Map.of());
        assertThat(empty.exit()).as(empty.output()).isEqualTo(2);
        assertThat(empty.output()).contains("Not starting: there is no application.properties in "
                + elsewhere.toRealPath() + ": start the service from the folder that holds application.properties "
                + "and routes/ (bin/community-signup finds it from anywhere)").doesNotContain("Exception");

        Files.copy(Path.of("application.properties"), elsewhere.resolve("application.properties"));
        Refused noRoutes = startRefused(elsewhere, Map.of());
        assertThat(noRoutes.exit()).as(noRoutes.output()).isEqualTo(2);
        assertThat(noRoutes.output()).contains("Not starting: there are no routes in " + elsewhere.toRealPath()
                + "/routes").doesNotContain("Exception");
    }

    @Test
    void the_launcher_before_a_build_says_how_to_build() throws Exception {
        Path bin = Files.createDirectories(elsewhere.resolve("checkout").resolve("bin"));
        Files.copy(Path.of("bin", "community-signup"), bin.resolve("community-signup"));
        Process launcher = new ProcessBuilder("sh", bin.resolve("community-signup").toString())
                .directory(elsewhere.toFile()).redirectErrorStream(true).start();
        String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(launcher.exitValue()).isEqualTo(2);
        assertThat(output).isEqualTo("Not starting: " + elsewhere.resolve("checkout").toRealPath()
                + "/target/community-signup.jar is not built yet; build it with: mvn -q package -DskipTests\n");
    }

    @Test
    void the_launcher_on_a_java_older_than_17_says_so() throws Exception {
        // a JDK 11 as its release file describes it; its java would only fail
        Path jdk = Files.createDirectories(elsewhere.resolve("jdk-11"));
        Path fakeJava = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"11.0.21\"\n");
        ProcessBuilder start = new ProcessBuilder(Path.of("bin", "community-signup").toAbsolutePath().toString())
                .directory(elsewhere.toFile()).redirectErrorStream(true);
        start.environment().put("PATH", jdk.resolve("bin") + java.io.File.pathSeparator + System.getenv("PATH"));
        Process launcher = start.start();
        String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(launcher.exitValue()).isEqualTo(2);
        assertThat(output).isEqualTo("Not starting: the service needs Java 17 or later, and the java on the PATH is "
                + "Java 11 (" + jdk.toRealPath() + ")\n");
    }

    /** The test's store, with tables of their own named after {@code name}, and these variables besides. */
    private static Map<String, String> ownTables(String name, String... variables) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> environment = new HashMap<>(Map.of("DYNAMODB_ENDPOINT", endpoint, "DYNAMODB_TABLE",
                name + "-members-" + suffix, "DYNAMODB_EXECUTIONS_TABLE", name + "-executions-" + suffix));
        for (int i = 0; i < variables.length; i += 2) {
            environment.put(variables[i], variables[i + 1]);
        }
        return environment;
    }

    /** A sign-up that waits for its end, which must be SUCCEEDED; then the service's stop. */
    /** Signs someone up, sees the sign-up SUCCEEDED, stops the service: the sign-up's execution. */
    private static JsonNode signUpAndStop(ServiceProcess service, String email) {
        try {
            JsonNode signUp = service.post("/signup?wait=true", "{\"email\":\"" + email + "\"}").path("body");
            assertThat(signUp.path("status").asText()).as(signUp.toString()).isEqualTo("SUCCEEDED");
            return signUp;
        } finally {
            service.sendTerm();
            service.awaitExit();
        }
    }

    record Refused(int exit, String output) {
    }

    /** The jar started from {@code folder} (the embedded store unless the environment names one), to its end. */
    private static Refused startRefused(Path folder, Map<String, String> environment) throws Exception {
        ProcessBuilder start = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "community-signup.jar").toAbsolutePath().toString())
                .directory(folder.toFile()).redirectErrorStream(true);
        start.environment().remove("DYNAMODB_ENDPOINT");
        start.environment().remove("AWS_REGION");
        start.environment().put("SIGNUP_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        start.environment().putAll(environment);
        Process process = start.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ended").isTrue();
        return new Refused(process.exitValue(), output);
    }

    /** The files the process has mapped into its memory. */
    private static String mapped(ServiceProcess service) throws IOException {
        return Files.readString(Path.of("/proc", String.valueOf(service.pid()), "maps"));
    }
}
