package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import community.testing.RunningService;
import community.testing.Upstreams;
import community.testing.RunningService.Answer;

/**
 * No secret in any log line, error or execution document: the happy path and every failure path run with
 * distinctive secrets, upstreams that echo them back, and the whole log is searched for them.
 */
class SecretsTest {

    static final String SLACK_TOKEN = "xoxs-SECRET-slack-7f3a9c";
    static final String AC_KEY = "SECRET-ac-key-4e8d21";
    static final String ADMIN_TOKEN = "SECRET-admin-token-90b7-abcdefghijklmnop";
    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static final ListAppender<ILoggingEvent> log = new ListAppender<>();
    static RunningService service;

    @BeforeAll
    static void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        upstreams.start();
        Map<String, String> settings = Upstreams.settings(upstreams, SLACK_TOKEN, AC_KEY);
        settings.put("slack.timeout", "300");
        settings.put("signup.admin-token", ADMIN_TOKEN);
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        upstreams.stop();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    }

    static void upstreamsAnswer(ResponseDefinitionBuilder slack, ResponseDefinitionBuilder activeCampaign) {
        upstreams.resetAll();
        upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite")).willReturn(slack));
        upstreams.stubFor(post(urlEqualTo("/api/3/contact/sync")).willReturn(activeCampaign));
    }

    @Test
    void an_upstream_that_echoes_the_token_in_its_error_code_leaks_it_nowhere() {
        upstreamsAnswer(okJson("{\"ok\":false,\"error\":\"bad_request token=" + SLACK_TOKEN + "\"}"),
                aResponse().withStatus(201).withBody("{\"contact\":{\"id\":\"1\"}}"));
        Answer answer = service.postJson("/signup?wait=true", "{\"email\":\"echoed@example.org\"}");

        JsonNode slack = answer.json().path("results").path("InviteSlack");
        assertThat(slack.path("status").asText()).isEqualTo("FAILED");
        assertThat(slack.path("error").asText()).isEqualTo("UnexpectedAnswer");
        assertThat(slack.path("cause").asText())
                .startsWith("InviteSlack: Slack answered an error that is not a short code");
        String history = service.get("/signup/" + answer.json().path("executionId").asText() + "?history=true").body();
        String metrics = service.get("/observe/metrics").body();
        assertThat(metrics).contains("signup_step_failures_total{error=\"UnexpectedAnswer\",step=\"InviteSlack\"}");
        for (String published : List.of(answer.body(), history, metrics)) {
            assertThat(published).doesNotContain(SLACK_TOKEN);
        }
        assertNoSecretLogged();
    }

    @Test
    void an_error_code_no_one_knows_is_kept_in_the_document_and_counted_as_other() {
        upstreamsAnswer(okJson("{\"ok\":false,\"error\":\"brand_new_refusal\"}"),
                aResponse().withStatus(201).withBody("{\"contact\":{\"id\":\"1\"}}"));
        Answer answer = service.postJson("/signup?wait=true", "{\"email\":\"novel@example.org\"}");

        assertThat(answer.json().path("results").path("InviteSlack").path("error").asText())
                .isEqualTo("brand_new_refusal");
        String metrics = service.get("/observe/metrics").body();
        assertThat(metrics).contains("signup_step_failures_total{error=\"other\",step=\"InviteSlack\"}")
                .doesNotContain("brand_new_refusal");
    }

    @Test
    void no_secret_reaches_a_log_an_error_or_an_execution_document() {
        List<String> answers = new ArrayList<>();
        String echo = "{\"error\":\"bad token " + SLACK_TOKEN + " and key " + AC_KEY + "\"}";
        upstreamsAnswer(okJson("{\"ok\":true}"), aResponse().withStatus(201).withBody("{\"contact\":{\"id\":\"1\"}}"));
        answers.add(service.postJson("/signup?wait=true", "{\"email\":\"happy@example.org\"}").body());
        upstreamsAnswer(okJson("{\"ok\":false,\"error\":\"invalid_auth\",\"token\":\"" + SLACK_TOKEN + "\"}"),
                aResponse().withStatus(403).withBody(echo));
        answers.add(service.postJson("/signup?wait=true", "{\"email\":\"refused@example.org\"}").body());
        upstreamsAnswer(aResponse().withStatus(500).withBody(echo), aResponse().withStatus(500).withBody(echo));
        answers.add(service.postJson("/signup?wait=true", "{\"email\":\"broken@example.org\"}").body());
        upstreamsAnswer(okJson("{\"ok\":true}").withFixedDelay(1000), aResponse().withStatus(422).withBody(echo));
        answers.add(service.postJson("/signup?wait=true", "{\"email\":\"slow@example.org\"}").body());
        answers.add(service.postJson("/signup", "{\"email\":\"" + SLACK_TOKEN + "\"}").body());
        Answer listing = service.send(java.net.http.HttpRequest.newBuilder(service.uri("/executions"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
        answers.add(listing.body());
        answers.add(service.send(java.net.http.HttpRequest.newBuilder(service.uri("/executions"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN + "x").GET()).body());

        assertThat(listing.body()).contains("refused@example.org", "broken@example.org", "slow@example.org");
        for (String answer : answers) {
            assertThat(answer).doesNotContain(SLACK_TOKEN, AC_KEY, ADMIN_TOKEN);
        }
        assertNoSecretLogged();
    }

    static void assertNoSecretLogged() {
        List<ILoggingEvent> logged;
        synchronized (log) { // the lock the appender holds while it appends: the service is still logging
            logged = List.copyOf(log.list);
        }
        assertThat(logged).isNotEmpty();
        assertThat(logged).anySatisfy(event -> assertThat(event.getFormattedMessage())
                .startsWith("Configuration in effect").contains("slack.admin-token=****", "signup.admin-token=****"));
        for (ILoggingEvent event : logged) {
            String line = event.getFormattedMessage() + " " + event.getMDCPropertyMap()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(line).doesNotContain(SLACK_TOKEN, AC_KEY, ADMIN_TOKEN);
        }
    }
}
