package community;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import community.testing.LogCapture;
import community.testing.RunningService;
import community.testing.RunningService.Answer;

/**
 * Operators edit routes/*.camel.yaml while the service runs: a good edit takes effect without failing sign-ups
 * in flight, a broken file is refused with a line naming the file, the line and the problem, and the routes
 * that were running keep serving.
 */
class RouteReloadTest {

    @TempDir
    Path routes;

    LogCapture log;
    RunningService service;

    @BeforeEach
    void copyRoutes() {
        RunningService.copyRoutes(routes);
        log = LogCapture.start();
    }

    @AfterEach
    void stop() {
        log.close();
        if (service != null) {
            service.close();
        }
    }

    RunningService start(boolean reload) {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.routes-directory", routes.toString());
        settings.put("signup.routes-reload", String.valueOf(reload));
        service = RunningService.start(settings);
        return service;
    }

    void edit(String file, String from, String to) throws IOException {
        Path path = routes.resolve(file);
        String content = Files.readString(path);
        assertThat(content).contains(from);
        Files.writeString(path, content.replace(from, to));
    }

    /**
     * Edits a route's description to "description v<version>" (from the version before, v1 being the shipped one)
     * and waits until that version runs.
     */
    void editDescription(String file, String routeId, String description, int version) throws IOException {
        edit(file, "description: " + description + (version == 2 ? "" : " v" + (version - 1)) + "\n",
                "description: " + description + " v" + version + "\n");
        String expected = description + " v" + version;
        await().atMost(Duration.ofSeconds(20)).until(() -> expected.equals(service.routeDescription(routeId)));
    }

    List<ILoggingEvent> logged() {
        return log.events();
    }

    List<String> warnings() {
        return logged().stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("Refused")).toList();
    }

    /** What the service logged as errors, for a failed assertion to say why an answer was not the one expected. */
    String errorsLogged() {
        return "errors logged: " + logged().stream().filter(e -> e.getLevel() == Level.ERROR).map(e -> {
            StringBuilder line = new StringBuilder(e.getFormattedMessage());
            for (IThrowableProxy cause = e.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                line.append(" <- ").append(cause.getClassName()).append(": ").append(cause.getMessage())
                        .append(cause.getStackTraceElementProxyArray().length > 0
                                ? " at " + cause.getStackTraceElementProxyArray()[0].getSTEAsString() : "");
            }
            return line.toString();
        }).toList();
    }

    /** Clients signing up in a loop until stopped; each answer is kept as "status outcome". */
    final class Load {
        final AtomicBoolean loading = new AtomicBoolean(true);
        final AtomicInteger sent = new AtomicInteger();
        final ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
        final ExecutorService clients;

        Load(int clients, String path, String prefix) {
            this.clients = Executors.newFixedThreadPool(clients);
            for (int c = 0; c < clients; c++) {
                this.clients.submit(() -> {
                    while (loading.get()) {
                        int n = sent.incrementAndGet();
                        Answer answer = service.postJson(path, "{\"email\":\"" + prefix + n + "@example.org\"}");
                        outcomes.add(answer.status() + " " + (answer.status() == 200
                                ? answer.json().path("status").asText() : answer.status() == 202 ? "" : answer.body()));
                    }
                });
            }
        }

        /** Waits for more answers than now. */
        void goesOn(int more) {
            int before = outcomes.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() > before + more);
        }

        /** Stops the clients; every sign-up sent has its answer. */
        ConcurrentLinkedQueue<String> stop() throws InterruptedException {
            loading.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(outcomes).hasSize(sent.get());
            return outcomes;
        }
    }

    @Test
    void edits_take_effect_under_load_and_broken_files_are_refused_while_the_running_routes_keep_serving()
            throws Exception {
        start(true);
        Load load = new Load(4, "/signup?wait=true", "reload");
        load.goesOn(20);

        edit("invite-slack.camel.yaml", "description: One attempt of InviteSlack\n", "description: One attempt of InviteSlack, v2\n");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "One attempt of InviteSlack, v2".equals(service.routeDescription("invite-slack-attempt")));

        Files.writeString(routes.resolve("broken.camel.yaml"),
                "- route:\n    id: broken\n    from:\n      uri: direct:broken\n     steps: [\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> warnings().stream()
                .anyMatch(w -> w.startsWith("Refused " + routes.resolve("broken.camel.yaml") + ": line ")));

        edit("invite-slack.camel.yaml", "ref: slackInvites\n", "ref: noSuchBean\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> warnings().stream().anyMatch(w -> w.startsWith(
                "Refused " + routes.resolve("invite-slack.camel.yaml") + ": line ")
                && w.contains("route slack-invite-call: No bean could be found in the registry for: noSuchBean")));
        assertThat(service.routeDescription("invite-slack-attempt")).as("the last good version runs again")
                .isEqualTo("One attempt of InviteSlack, v2");
        load.goesOn(20);

        assertThat(load.stop()).as(this::errorsLogged).allMatch(o -> o.equals("200 SUCCEEDED"), "every sign-up succeeded");

        // fixing the file, and removing the broken one, bring back normal reloading
        Files.delete(routes.resolve("broken.camel.yaml"));
        edit("invite-slack.camel.yaml", "ref: noSuchBean\n", "ref: slackInvites\n");
        edit("invite-slack.camel.yaml", "One attempt of InviteSlack, v2", "One attempt of InviteSlack, v3");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "One attempt of InviteSlack, v3".equals(service.routeDescription("invite-slack-attempt")));
        assertThat(service.postJson("/signup?wait=true", "{\"email\":\"afterwards@example.org\"}").json()
                .path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void editing_the_http_routes_under_load_loses_no_request() throws Exception {
        // every edit replaces all the HTTP routes of the file, POST /signup's among them
        editedUnderLoad("signup-api.camel.yaml", "signup-api", "POST /signup", 5);
    }

    @Test
    void editing_a_steps_file_again_and_again_under_load_fails_no_sign_up() throws Exception {
        // each edit replaces the step's routes, which the sign-ups' list of steps is read from
        editedUnderLoad("invite-slack.camel.yaml", "invite-slack-attempt", "One attempt of InviteSlack", 11);
    }

    /** Six clients sign up while a route's description is edited again and again: every sign-up is accepted. */
    void editedUnderLoad(String file, String routeId, String description, int edits) throws Exception {
        start(true);
        Load load = new Load(6, "/signup", routeId);
        load.goesOn(20);
        for (int version = 2; version <= edits + 1; version++) {
            editDescription(file, routeId, description, version);
            load.goesOn(5);
        }
        assertThat(load.stop()).as(this::errorsLogged).allMatch(o -> o.equals("202 "), "every sign-up was accepted");
    }

    @Test
    void a_log_step_an_operator_adds_carries_the_execution_id() throws IOException {
        // the operator's own log line, logged by Camel on whichever thread runs the step
        edit("record-db.camel.yaml", "      uri: direct:record-db-attempt\n      steps:\n",
                "      uri: direct:record-db-attempt\n      steps:\n        - log: \"attempting RecordDB\"\n");
        start(false);

        Answer answer = service.postJson("/signup?wait=true", "{\"email\":\"logged@example.org\"}");
        String id = answer.json().path("executionId").asText();
        List<ILoggingEvent> lines = logged().stream()
                .filter(e -> e.getFormattedMessage().equals("attempting RecordDB")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).getMDCPropertyMap()).containsEntry("executionId", id);
    }

    @Test
    void a_step_setting_edited_in_its_file_takes_effect_in_the_next_sign_up() throws IOException {
        start(true);
        edit("invite-slack.camel.yaml", "or SLACK_ADMIN_TOKEN to send invites\n",
                "or SLACK_ADMIN_TOKEN (an edited hint) to send invites\n");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Answer answer = service.postJson("/signup?wait=true",
                    "{\"email\":\"hint-" + System.nanoTime() + "@example.org\"}");
            assertThat(answer.json().path("results").path("InviteSlack").path("cause").asText())
                    .isEqualTo("set SLACK_INVITE_URL or SLACK_ADMIN_TOKEN (an edited hint) to send invites");
        });
        assertThat(warnings()).isEmpty();
    }

    @Test
    void an_edit_of_the_step_template_takes_effect_in_every_step() throws IOException {
        start(true);
        // the operator adds a log line to the one policy every step is made from
        edit("steps.camel.yaml", "      from:\n        uri: \"direct:{{step}}\"\n        steps:\n",
                "      from:\n        uri: \"direct:{{step}}\"\n        steps:\n"
                        + "          - log: \"step template v2: {{step}}\"\n");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Answer answer = service.postJson("/signup?wait=true",
                    "{\"email\":\"template-" + System.nanoTime() + "@example.org\"}");
            assertThat(answer.status()).isEqualTo(200);
            String id = answer.json().path("executionId").asText();
            List<String> lines = logged().stream()
                    .filter(e -> e.getFormattedMessage().startsWith("step template v2: ")
                            && id.equals(e.getMDCPropertyMap().get("executionId")))
                    .map(ILoggingEvent::getFormattedMessage).sorted().toList();
            assertThat(lines).containsExactly("step template v2: InviteSlack", "step template v2: NotifyOrganisers",
                    "step template v2: RecordAC", "step template v2: RecordDB");
        });
        assertThat(warnings()).isEmpty();
    }

    @Test
    void a_template_edit_that_breaks_the_steps_is_refused_and_every_step_runs_as_before() throws IOException {
        start(true);
        // each step's route is made from the template: with this edit, none of them can start
        edit("steps.camel.yaml", "ref: stepAttempts\n                                      method: begin\n",
                "ref: noSuchBean\n                                      method: begin\n");

        await().atMost(Duration.ofSeconds(20)).until(() -> warnings().stream().anyMatch(w -> w.startsWith(
                "Refused " + routes.resolve("steps.camel.yaml") + ": ") && w.contains("noSuchBean")
                && w.endsWith("its last good version is running again")));

        Answer answer = service.postJson("/signup?wait=true", "{\"email\":\"template-refused@example.org\"}");
        assertThat(answer.json().path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode results = answer.json().path("results");
        assertThat(results.path("RecordDB").path("status").asText()).isEqualTo("SUCCEEDED");
        // the upstreams this test leaves unset: each step ran, and found nothing to call, as before the edit
        for (String step : List.of("RecordAC", "InviteSlack", "NotifyOrganisers")) {
            assertThat(results.path(step).path("error").asText()).as(step).isEqualTo("NotConfigured");
        }
    }

    @Test
    void a_step_route_an_operator_broke_fails_as_that_step_and_the_others_go_on() throws IOException {
        edit("record-db.camel.yaml", "      uri: direct:record-db-attempt\n      steps:\n",
                "      uri: direct:record-db-attempt\n"
                + "      steps:\n        - throwException:\n"
                + "            exceptionType: java.lang.IllegalStateException\n"
                + "            message: broken by an edit\n");
        start(false);

        Answer answer = service.postJson("/signup?wait=true", "{\"email\":\"broken-step@example.org\"}");

        assertThat(answer.json().path("status").asText()).isEqualTo("FAILED");
        JsonNode results = answer.json().path("results");
        assertThat(results.path("RecordDB").path("error").asText()).isEqualTo("InternalError");
        assertThat(results.path("RecordDB").path("cause").asText())
                .isEqualTo("RecordDB: the step broke: broken by an edit (attempt 1 of 4)");
        assertThat(results.path("RecordAC").path("status").asText()).isEqualTo("SKIPPED");
        assertThat(results.path("InviteSlack").path("status").asText()).isEqualTo("SKIPPED");
    }

    @Test
    void a_step_whose_route_file_is_gone_fails_as_that_step_within_seconds() throws IOException {
        Files.delete(routes.resolve("record-ac.camel.yaml"));
        start(false);

        Answer answer = service.postJson("/signup?wait=true", "{\"email\":\"no-route@example.org\"}");

        assertThat(answer.status()).as("finished within the wait, not left waiting for a route").isEqualTo(200);
        JsonNode recordAc = answer.json().path("results").path("RecordAC");
        assertThat(recordAc.path("error").asText()).isEqualTo("InternalError");
        assertThat(recordAc.path("cause").asText()).startsWith("RecordAC: the step ended without an outcome")
                .contains("No consumers available on endpoint: direct://RecordAC");
        assertThat(answer.json().path("results").path("RecordDB").path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void with_reloading_off_edits_wait_for_a_restart() throws IOException {
        start(false);
        edit("invite-slack.camel.yaml", "description: One attempt of InviteSlack\n", "description: One attempt of InviteSlack, v2\n");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> "One attempt of InviteSlack".equals(service.routeDescription("invite-slack-attempt")));
    }

    @Test
    void after_edits_a_request_is_still_counted_once_against_the_request_limit() throws IOException {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.routes-directory", routes.toString());
        settings.put("signup.routes-reload", "true");
        settings.put("signup.http.max-requests", "1");
        service = RunningService.start(settings);

        // each edit starts routes again, and Camel tells its startup listeners again each time
        for (int version = 2; version <= 3; version++) {
            editDescription("invite-slack.camel.yaml", "invite-slack-attempt", "One attempt of InviteSlack", version);
        }

        Answer answer = service.postJson("/signup", "{\"email\":\"counted-once@example.org\"}");
        assertThat(answer.status()).as("one request, within a limit of one: " + answer.body()).isEqualTo(202);
    }
}
