package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import community.testing.LogCapture;
import community.testing.RunningService;
import community.testing.Upstreams;

/**
 * A step waiting out its back-off when an operator edits the step template (steps.camel.yaml, which every step's
 * route is made from again) still makes its next attempt, and the execution ends as it would have; that step's
 * route is made again once the retry is done.
 */
class RetryAcrossReloadTest {

    @TempDir
    Path routes;

    final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    final LogCapture log = LogCapture.start();
    RunningService service;

    @AfterEach
    void stop() {
        log.close();
        if (service != null) {
            service.close();
        }
        upstreams.stop();
    }

    @Test
    void a_retry_pending_across_an_edit_of_the_step_template_still_goes_out_and_succeeds() throws IOException {
        RunningService.copyRoutes(routes);
        upstreams.start();
        Upstreams.answerNormally(upstreams);
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE)).inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE)).inScenario("busy").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"ok\":true}")));
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-reload-retry-token", "ac-reload-key");
        settings.put("signup.routes-directory", routes.toString());
        settings.put("signup.routes-reload", "true");
        // longer than camel.main.shutdown-timeout (10 s), after which Camel's own stop of a route cuts what is in it
        settings.put("slack.retry-delay", "12000");
        settings.put("slack.retry-max-delay", "12000");
        service = RunningService.start(settings);

        String id = service.postJson("/signup", "{\"email\":\"patient@example.org\"}").json()
                .path("executionId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> slackCallsFor("patient@example.org") == 1);

        // the operator adds a log line to the template; a sign-up made after the reload logs it
        Path template = routes.resolve("steps.camel.yaml");
        String before = Files.readString(template);
        String from = "      from:\n        uri: \"direct:{{step}}\"\n        steps:\n";
        assertThat(before).contains(from);
        Files.writeString(template, before.replace(from, from + "          - log: \"template v2: {{step}}\"\n"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            service.postJson("/signup?wait=true", "{\"email\":\"probe-" + System.nanoTime() + "@example.org\"}");
            return log.messages().contains("template v2: InviteSlack");
        });
        assertThat(slackCallsFor("patient@example.org")).as("InviteSlack's route is made again once its retry is done")
                .isEqualTo(2);

        JsonNode done = await().atMost(Duration.ofSeconds(20)).until(() -> service.get("/signup/" + id).json(),
                doc -> !doc.path("status").asText().equals("RUNNING"));
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.path("results").path("InviteSlack").path("attempts").asInt()).isEqualTo(2);
        assertThat(slackCallsFor("patient@example.org")).isEqualTo(2);
    }

    int slackCallsFor(String email) {
        return upstreams.findAll(postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE))
                .withRequestBody(containing("email=" + email.replace("@", "%40")))).size();
    }

}
