package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import community.testing.RunningService;
import community.testing.RunningService.Answer;

/** The sign-up flow end to end: the real service, WireMock as Slack and ActiveCampaign, dynalite as DynamoDB. */
class SignupFlowTest {

    static final String SLACK_TOKEN = "xoxs-flow-test-token-1234";
    static final String AC_KEY = "ac-flow-test-key-5678";
    static final String SLACK_INVITE = "/api/users.admin.invite";
    static final String AC_SYNC = "/api/3/contact/sync";

    static final WireMockServer slack = new WireMockServer(options().dynamicPort());
    static final WireMockServer activeCampaign = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        slack.start();
        activeCampaign.start();
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("slack.api-url", slack.baseUrl() + "/api");
        settings.put("slack.admin-token", SLACK_TOKEN);
        settings.put("slack.organization", "testorg");
        settings.put("slack.timeout", "500");
        settings.put("activecampaign.url", activeCampaign.baseUrl());
        settings.put("activecampaign.api-key", AC_KEY);
        settings.put("activecampaign.timeout", "500");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        slack.stop();
        activeCampaign.stop();
    }

    @BeforeEach
    void upstreamsAnswerNormally() {
        slack.resetAll();
        activeCampaign.resetAll();
        slackAnswers(okJson("{\"ok\":true}"));
        activeCampaignAnswers(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"contact\":{\"id\":\"42\",\"email\":\"x@example.org\"}}"));
    }

    static void slackAnswers(ResponseDefinitionBuilder answer) {
        slack.stubFor(post(urlEqualTo(SLACK_INVITE)).willReturn(answer));
    }

    static void activeCampaignAnswers(ResponseDefinitionBuilder answer) {
        activeCampaign.stubFor(post(urlEqualTo(AC_SYNC)).willReturn(answer));
    }

    static JsonNode signUpAndWait(String email, String first, String last) {
        Answer answer = service.postJson("/signup?wait=true",
                "{\"email\":\"" + email + "\",\"first_name\":\"" + first + "\",\"last_name\":\"" + last + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    static JsonNode step(JsonNode execution, String step) {
        return execution.path("results").path(step);
    }

    static Map<String, String> form(LoggedRequest request) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return fields;
    }

    @Test
    void a_sign_up_is_recorded_synced_and_invited_and_the_execution_says_so() {
        JsonNode execution = signUpAndWait("Santa.Claus@Example.ORG ", "Santa", "Claus");

        assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(execution.path("executionId").asText()).matches("[0-9a-f-]{36}");
        assertThat(execution.path("input").path("email").asText()).isEqualTo("santa.claus@example.org");
        assertThat(Instant.parse(execution.path("stoppedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(execution.path("startedAt").asText()));
        for (String step : List.of("RecordDB", "RecordAC", "InviteSlack")) {
            assertThat(step(execution, step).path("status").asText()).as(step).isEqualTo("SUCCEEDED");
            assertThat(step(execution, step).path("attempts").asInt()).as(step).isEqualTo(1);
        }

        List<LoggedRequest> invites = slack.findAll(postRequestedFor(urlEqualTo(SLACK_INVITE)));
        assertThat(invites).hasSize(1);
        assertThat(invites.get(0).getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(invites.get(0))).containsEntry("token", SLACK_TOKEN)
                .containsEntry("email", "santa.claus@example.org").containsEntry("first_name", "Santa")
                .containsEntry("last_name", "Claus").containsEntry("set_active", "true");
        assertThat(invites.get(0).getUrl()).doesNotContain(SLACK_TOKEN);

        activeCampaign.verify(1, postRequestedFor(urlEqualTo(AC_SYNC)).withHeader("Api-Token", equalTo(AC_KEY))
                .withRequestBody(equalToJson("{\"contact\":{\"email\":\"santa.claus@example.org\","
                        + "\"firstName\":\"Santa\",\"lastName\":\"Claus\"}}")));

        Map<String, AttributeValue> member = service.member("santa.claus@example.org");
        assertThat(member.get("first_name").s()).isEqualTo("Santa");
        assertThat(member.get("last_name").s()).isEqualTo("Claus");
        assertThat(Instant.parse(member.get("signed_up_at").s()))
                .isBetween(Instant.parse(execution.path("startedAt").asText()),
                        Instant.parse(execution.path("stoppedAt").asText()));

        Answer status = service.get("/signup/" + execution.path("executionId").asText());
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.header("Cache-Control")).as("a status must not be cached").isEqualTo("no-store");
        assertThat(status.json()).isEqualTo(execution);
    }

    @Test
    void an_accepted_sign_up_answers_202_with_where_to_follow_it() {
        Answer accepted = service.postJson("/signup",
                "{\"email\":\"follow@example.org\",\"first_name\":\"Fo\",\"last_name\":\"Llow\"}");

        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.json().path("executionId").asText();
        assertThat(accepted.json().path("status").asText()).isEqualTo("RUNNING");
        assertThat(accepted.json().path("statusUrl").asText()).isEqualTo("/signup/" + id);
        assertThat(accepted.header("Location")).isEqualTo("/signup/" + id);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                service.get("/signup/" + id).json().path("status").asText()).isEqualTo("SUCCEEDED"));
    }

    @Test
    void the_original_forms_shapes_are_accepted() {
        Answer wrapped = service.postJson("/signup?wait=true",
                "{\"body\":{\"name\":\"Mrs Claus Senior\",\"email\":\"mrs@example.org\"}}");
        assertThat(wrapped.status()).isEqualTo(200);
        assertThat(wrapped.json().path("input").path("first_name").asText()).isEqualTo("Mrs");
        assertThat(wrapped.json().path("input").path("last_name").asText()).isEqualTo("Claus Senior");

        Answer form = service.postForm("/signup?wait=true", "email=elf%40example.org&first_name=Buddy&last_name=Elf",
                "application/json");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.json().path("input").path("first_name").asText()).isEqualTo("Buddy");
        assertThat(form.json().path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void a_browser_form_post_is_sent_to_the_status_page() {
        Answer answer = service.postForm("/signup", "name=Jack+Frost&email=jack%40example.org",
                "text/html,application/xhtml+xml");

        assertThat(answer.status()).isEqualTo(303);
        String location = answer.header("Location");
        assertThat(location).matches("/signup/[0-9a-f-]{36}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Answer page = service.send(java.net.http.HttpRequest.newBuilder(service.uri(location))
                    .header("Accept", "text/html").GET());
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.body()).contains("jack@example.org").contains("SUCCEEDED");
        });
    }

    @Test
    void the_same_email_again_says_so_tells_nothing_of_the_first_sign_up_and_calls_nothing() {
        JsonNode first = signUpAndWait("again@example.org", "Once", "More");

        Answer second = service.postJson("/signup",
                "{\"email\":\"AGAIN@example.org\",\"first_name\":\"Twice\",\"last_name\":\"More\"}");

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("status").asText()).isEqualTo("ALREADY_SIGNED_UP");
        assertThat(second.json().path("signInUrl").asText()).isEqualTo("https://testorg.slack.com");
        assertThat(second.body()).doesNotContain(first.path("executionId").asText(), "Once", "More", "results",
                "RecordDB");
        assertThat(second.header("Location")).isNull();

        Answer formPost = service.postForm("/signup", "email=again%40example.org&name=Third+Try", "text/html");
        assertThat(formPost.status()).isEqualTo(303);
        assertThat(formPost.header("Location")).isEqualTo("/signup/already-signed-up");
        Answer page = service.send(java.net.http.HttpRequest.newBuilder(service.uri(formPost.header("Location")))
                .header("Accept", "text/html").GET());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("This address has already signed up")
                .contains("href=\"https://testorg.slack.com\"")
                .doesNotContain(first.path("executionId").asText(), "Once", "again@example.org");
        slack.verify(1, postRequestedFor(urlEqualTo(SLACK_INVITE)));
        activeCampaign.verify(1, postRequestedFor(urlEqualTo(AC_SYNC)));
        assertThat(service.member("again@example.org").get("first_name").s()).isEqualTo("Once");
    }

    @Test
    void an_address_is_one_member_however_its_accents_are_encoded() {
        // "josé" with a combining acute accent (decomposed), then with the precomposed é
        JsonNode first = signUpAndWait("jose\u0301@example.org", "Jo", "Sé");
        assertThat(first.path("input").path("email").asText()).isEqualTo("jos\u00e9@example.org");

        Answer second = service.postJson("/signup", "{\"email\":\"jos\u00e9@example.org\",\"name\":\"Jo Sé\"}");

        assertThat(second.json().path("status").asText()).isEqualTo("ALREADY_SIGNED_UP");
        assertThat(service.member("jos\u00e9@example.org")).isNotEmpty();
    }

    @Test
    void after_a_failed_execution_a_new_sign_up_starts_again_and_keeps_the_recorded_member_as_it_was() {
        slackAnswers(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}"));
        JsonNode failed = signUpAndWait("retry@example.org", "First", "Try");
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        String signedUpAt = service.member("retry@example.org").get("signed_up_at").s();

        slack.resetAll();
        slackAnswers(okJson("{\"ok\":true}"));
        JsonNode second = signUpAndWait("retry@example.org", "Second", "Try");

        assertThat(second.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.path("executionId").asText()).isNotEqualTo(failed.path("executionId").asText());
        Map<String, AttributeValue> member = service.member("retry@example.org");
        assertThat(member.get("first_name").s()).as("whoever typed the address again does not rename its member")
                .isEqualTo("First");
        assertThat(member.get("signed_up_at").s()).isEqualTo(signedUpAt);
        assertThat(failed.path("results").path("RecordDB").path("detail").asText()).isEqualTo("member added");
        assertThat(second.path("results").path("RecordDB").path("detail").asText())
                .isEqualTo("member already recorded");
        assertThat(service.get("/signup/" + failed.path("executionId").asText()).json().path("status").asText())
                .as("the failed execution is still there to look at").isEqualTo("FAILED");
    }

    @Test
    void a_failing_step_neither_stops_nor_delays_the_others() {
        slackAnswers(okJson("{\"ok\":true}").withFixedDelay(1500));

        JsonNode execution = signUpAndWait("patient@example.org", "Pa", "Tient");

        assertThat(execution.path("status").asText()).isEqualTo("FAILED");
        JsonNode invite = step(execution, "InviteSlack");
        assertThat(invite.path("status").asText()).isEqualTo("FAILED");
        assertThat(invite.path("error").asText()).isEqualTo("Timeout");
        assertThat(invite.path("attempts").asInt()).isEqualTo(4);
        assertThat(invite.path("cause").asText())
                .isEqualTo("InviteSlack: Slack did not answer within 500 ms (attempt 4 of 4)");
        for (String other : List.of("RecordDB", "RecordAC")) {
            assertThat(step(execution, other).path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(Instant.parse(step(execution, other).path("stoppedAt").asText()))
                    .as(other + " finished while Slack's first attempt was still waiting")
                    .isBefore(Instant.parse(invite.path("startedAt").asText()).plusMillis(500));
        }
        assertThat(service.member("patient@example.org")).isNotEmpty();
    }

    @Test
    void the_attempt_history_says_which_step_failed_when_and_why() {
        slack.stubFor(post(urlEqualTo(SLACK_INVITE)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("upstream down")).willSetStateTo("up"));
        slack.stubFor(post(urlEqualTo(SLACK_INVITE)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(okJson("{\"ok\":true}")));
        String id = signUpAndWait("history@example.org", "His", "Tory").path("executionId").asText();

        JsonNode history = service.get("/signup/" + id + "?history=true").json().path("history");

        JsonNode slackAttempts = history.path(0).path("step").asText().isEmpty() ? history : history;
        List<JsonNode> invite = new java.util.ArrayList<>();
        slackAttempts.forEach(a -> {
            if (a.path("step").asText().equals("InviteSlack")) {
                invite.add(a);
            }
        });
        assertThat(invite).hasSize(2);
        assertThat(invite.get(0).path("outcome").asText()).isEqualTo("RETRYING");
        assertThat(invite.get(0).path("error").asText()).isEqualTo("ServerError");
        assertThat(invite.get(0).path("cause").asText()).contains("HTTP 503").contains("upstream down");
        assertThat(invite.get(1).path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(invite.get(1).path("attempt").asInt()).isEqualTo(2);
    }

    static double metric(String series) {
        return service.get("/observe/metrics").body().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1))).findFirst().orElse(0);
    }

    @Test
    void metrics_count_sign_ups_outcomes_attempts_failures_and_rejections() {
        String failedExecutions = "signup_executions_total{outcome=\"FAILED\"}";
        String slackFailures = "signup_step_failures_total{error=\"invalid_auth\",step=\"InviteSlack\"}";
        String slackAttempts = "signup_step_attempts_total{step=\"InviteSlack\"}";
        String invalid = "signup_requests_rejected_total{reason=\"invalid\"}";
        String accepted = "signup_signups_accepted_total";
        double[] before = { metric(failedExecutions), metric(slackFailures), metric(slackAttempts), metric(invalid),
                metric(accepted) };
        slackAnswers(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}"));

        signUpAndWait("counted@example.org", "Coun", "Ted");
        service.postJson("/signup", "{\"email\":\"not-an-address\"}");

        assertThat(metric(failedExecutions) - before[0]).isEqualTo(1);
        assertThat(metric(slackFailures) - before[1]).isEqualTo(1);
        assertThat(metric(slackAttempts) - before[2]).isEqualTo(1);
        assertThat(metric(invalid) - before[3]).isEqualTo(1);
        assertThat(metric(accepted) - before[4]).isEqualTo(1);
        assertThat(service.get("/observe/metrics").body())
                .contains("signup_execution_duration_seconds_bucket")
                .contains("signup_step_duration_seconds_bucket{status=\"FAILED\",step=\"InviteSlack\"")
                .contains("signup_dynamodb_requests_total{operation=\"PutItem\"}");
    }

    @Nested
    class InviteSlack {

        @Test
        void already_invited_is_not_a_failure() {
            slackAnswers(okJson("{\"ok\":false,\"error\":\"already_invited\"}"));
            JsonNode invite = step(signUpAndWait("invited@example.org", "In", "Vited"), "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(invite.path("detail").asText()).isEqualTo("already_invited");
        }

        @Test
        void already_in_team_is_not_a_failure() {
            slackAnswers(okJson("{\"ok\":false,\"error\":\"already_in_team\"}"));
            JsonNode invite = step(signUpAndWait("member@example.org", "Mem", "Ber"), "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(invite.path("detail").asText()).isEqualTo("already_in_team");
        }

        @Test
        void invalid_auth_fails_at_once_with_slacks_error_code() {
            slackAnswers(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}"));
            JsonNode execution = signUpAndWait("badtoken@example.org", "Bad", "Token");
            JsonNode invite = step(execution, "InviteSlack");
            assertThat(execution.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("error").asText()).isEqualTo("invalid_auth");
            assertThat(invite.path("attempts").asInt()).isEqualTo(1);
            assertThat(invite.path("cause").asText())
                    .isEqualTo("InviteSlack: Slack answered invalid_auth (attempt 1 of 4)");
            slack.verify(1, postRequestedFor(urlEqualTo(SLACK_INVITE)));
        }

        @Test
        void a_server_error_is_retried_until_it_succeeds() {
            slack.stubFor(post(urlEqualTo(SLACK_INVITE)).inScenario("500").whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
            slack.stubFor(post(urlEqualTo(SLACK_INVITE)).inScenario("500").whenScenarioStateIs("ok")
                    .willReturn(okJson("{\"ok\":true}")));
            JsonNode invite = step(signUpAndWait("flaky@example.org", "Fla", "Ky"), "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(invite.path("attempts").asInt()).isEqualTo(2);
            slack.verify(2, postRequestedFor(urlEqualTo(SLACK_INVITE)));
        }

        @Test
        void a_429_is_retried_after_the_retry_after_it_gives() {
            slack.stubFor(post(urlEqualTo(SLACK_INVITE)).inScenario("429").whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
            slack.stubFor(post(urlEqualTo(SLACK_INVITE)).inScenario("429").whenScenarioStateIs("ok")
                    .willReturn(okJson("{\"ok\":true}")));
            JsonNode invite = step(signUpAndWait("busy@example.org", "Bu", "Sy"), "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(invite.path("attempts").asInt()).as("the 429 is an attempt of the step's policy, not one the "
                    + "HTTP client repeats by itself").isEqualTo(2);
            List<LoggedRequest> calls = slack.findAll(postRequestedFor(urlEqualTo(SLACK_INVITE)));
            assertThat(calls).hasSize(2);
            assertThat(Duration.between(calls.get(0).getLoggedDate().toInstant(),
                    calls.get(1).getLoggedDate().toInstant()))
                    .as("the back-off is 20 ms here; only Retry-After makes it wait a second")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        }

        @Test
        void ratelimited_in_the_body_is_retried() {
            slack.stubFor(post(urlEqualTo(SLACK_INVITE)).inScenario("rl").whenScenarioStateIs(STARTED)
                    .willReturn(okJson("{\"ok\":false,\"error\":\"ratelimited\"}")).willSetStateTo("ok"));
            slack.stubFor(post(urlEqualTo(SLACK_INVITE)).inScenario("rl").whenScenarioStateIs("ok")
                    .willReturn(okJson("{\"ok\":true}")));
            JsonNode invite = step(signUpAndWait("ratelimited@example.org", "Ra", "Te"), "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(invite.path("attempts").asInt()).isEqualTo(2);
        }

        @Test
        void an_answer_over_64_kib_fails_at_once_unread() {
            // a success by its fields, but no answer of Slack's is that long: before the cap, one of a few hundred
            // MB ran the service out of heap
            slackAnswers(okJson("{\"ok\":true,\"padding\":\"" + "x".repeat(100_000) + "\"}")
                    .withHeader("Content-Length", "100025"));
            JsonNode execution = signUpAndWait("longanswer@example.org", "Long", "Answer");
            JsonNode invite = step(execution, "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("error").asText()).isEqualTo("UnexpectedAnswer");
            assertThat(invite.path("attempts").asInt()).isEqualTo(1);
            assertThat(invite.path("cause").asText()).isEqualTo("InviteSlack: Slack answered 100025 bytes, over the "
                    + "64 KiB an answer may have (attempt 1 of 4)");
            assertThat(step(execution, "RecordDB").path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(step(execution, "RecordAC").path("status").asText()).isEqualTo("SUCCEEDED");
        }

        @Test
        void an_answer_without_a_length_is_read_no_further_than_64_kib() {
            slackAnswers(okJson("{\"ok\":true,\"padding\":\"" + "x".repeat(100_000) + "\"}")
                    .withChunkedDribbleDelay(4, 20));
            JsonNode invite = step(signUpAndWait("chunkedanswer@example.org", "Chunked", "Answer"), "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("error").asText()).isEqualTo("UnexpectedAnswer");
            assertThat(invite.path("cause").asText()).isEqualTo("InviteSlack: Slack answered more than the 64 KiB "
                    + "an answer may have (attempt 1 of 4)");
        }

        @Test
        void an_answer_that_trickles_in_past_the_timeout_is_a_timeout() {
            // every piece comes well within the 500 ms timeout, the whole answer only after 2.5 s
            slackAnswers(okJson("{\"ok\":true,\"padding\":\"" + "x".repeat(1000) + "\"}")
                    .withChunkedDribbleDelay(25, 2500));
            JsonNode invite = step(signUpAndWait("slowanswer@example.org", "Slow", "Answer"), "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("error").asText()).isEqualTo("Timeout");
            assertThat(invite.path("attempts").asInt()).isEqualTo(4);
            assertThat(invite.path("cause").asText())
                    .isEqualTo("InviteSlack: Slack did not answer within 500 ms (attempt 4 of 4)");
        }

        @Test
        void an_answer_compressed_unasked_is_refused_and_no_compression_is_asked_for() throws Exception {
            // compressed, a small answer can stand for a huge one: the client asks for none and takes none
            java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
                gzip.write("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
            }
            slackAnswers(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withHeader("Content-Encoding", "gzip").withBody(gzipped.toByteArray()));
            JsonNode invite = step(signUpAndWait("gzipanswer@example.org", "Gzip", "Answer"), "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("error").asText()).isEqualTo("UnexpectedAnswer");
            assertThat(invite.path("cause").asText()).isEqualTo("InviteSlack: Slack answered in an encoding that "
                    + "was not asked for (gzip) (attempt 1 of 4)");
            assertThat(slack.findAll(postRequestedFor(urlEqualTo(SLACK_INVITE))).get(0).containsHeader(
                    "Accept-Encoding")).isFalse();
        }

        @Test
        void a_server_error_that_persists_fails_after_four_attempts() {
            slackAnswers(aResponse().withStatus(502).withBody("bad gateway"));
            JsonNode invite = step(signUpAndWait("down@example.org", "Do", "Wn"), "InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("error").asText()).isEqualTo("ServerError");
            assertThat(invite.path("attempts").asInt()).isEqualTo(4);
            assertThat(invite.path("cause").asText())
                    .isEqualTo("InviteSlack: Slack answered HTTP 502: bad gateway (attempt 4 of 4)");
            slack.verify(4, postRequestedFor(urlEqualTo(SLACK_INVITE)));
        }
    }

    @Nested
    class RecordAC {

        @Test
        void created_and_ok_are_success() {
            JsonNode created = step(signUpAndWait("created@example.org", "Cre", "Ated"), "RecordAC");
            assertThat(created.path("status").asText()).isEqualTo("SUCCEEDED");

            activeCampaignAnswers(okJson("{\"contact\":{\"id\":\"7\"}}"));
            JsonNode ok = step(signUpAndWait("updated@example.org", "Up", "Dated"), "RecordAC");
            assertThat(ok.path("status").asText()).isEqualTo("SUCCEEDED");
        }

        @Test
        void a_refused_key_fails_at_once() {
            activeCampaignAnswers(aResponse().withStatus(403)
                    .withBody("{\"message\":\"No Result found for Subscriber with id 0\"}"));
            JsonNode ac = step(signUpAndWait("forbidden@example.org", "For", "Bidden"), "RecordAC");
            assertThat(ac.path("status").asText()).isEqualTo("FAILED");
            assertThat(ac.path("error").asText()).isEqualTo("Unauthorized");
            assertThat(ac.path("attempts").asInt()).isEqualTo(1);
            assertThat(ac.path("cause").asText()).startsWith("RecordAC: ActiveCampaign refused the API key")
                    .contains("No Result found").doesNotContain(AC_KEY);
        }

        @Test
        void an_invalid_contact_fails_at_once() {
            activeCampaignAnswers(aResponse().withStatus(422)
                    .withBody("{\"errors\":[{\"title\":\"Email address is not valid.\"}]}"));
            JsonNode ac = step(signUpAndWait("invalid@example.org", "In", "Valid"), "RecordAC");
            assertThat(ac.path("status").asText()).isEqualTo("FAILED");
            assertThat(ac.path("error").asText()).isEqualTo("Invalid");
            assertThat(ac.path("attempts").asInt()).isEqualTo(1);
            assertThat(ac.path("cause").asText()).contains("Email address is not valid.");
        }

        @Test
        void a_server_error_is_retried_and_fails_after_four_attempts() {
            activeCampaignAnswers(aResponse().withStatus(500).withBody("{\"error\":\"internal\"}"));
            JsonNode execution = signUpAndWait("acdown@example.org", "Ac", "Down");
            JsonNode ac = step(execution, "RecordAC");
            assertThat(ac.path("status").asText()).isEqualTo("FAILED");
            assertThat(ac.path("error").asText()).isEqualTo("ServerError");
            assertThat(ac.path("attempts").asInt()).isEqualTo(4);
            activeCampaign.verify(4, postRequestedFor(urlEqualTo(AC_SYNC)));
            assertThat(step(execution, "InviteSlack").path("status").asText()).isEqualTo("SUCCEEDED");
        }

        @Test
        void a_429_is_retried_after_the_retry_after_it_gives() {
            activeCampaign.stubFor(post(urlEqualTo(AC_SYNC)).inScenario("429").whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
            activeCampaign.stubFor(post(urlEqualTo(AC_SYNC)).inScenario("429").whenScenarioStateIs("ok")
                    .willReturn(okJson("{\"contact\":{\"id\":\"9\"}}")));
            JsonNode ac = step(signUpAndWait("acbusy@example.org", "Ac", "Busy"), "RecordAC");
            assertThat(ac.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(ac.path("attempts").asInt()).isEqualTo(2);
            List<LoggedRequest> calls = activeCampaign.findAll(postRequestedFor(urlEqualTo(AC_SYNC)));
            assertThat(Duration.between(calls.get(0).getLoggedDate().toInstant(),
                    calls.get(1).getLoggedDate().toInstant())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        }

        @Test
        void a_timeout_is_an_attempt_that_failed() {
            activeCampaignAnswers(okJson("{\"contact\":{\"id\":\"9\"}}").withFixedDelay(1500));
            JsonNode ac = step(signUpAndWait("acslow@example.org", "Ac", "Slow"), "RecordAC");
            assertThat(ac.path("status").asText()).isEqualTo("FAILED");
            assertThat(ac.path("error").asText()).isEqualTo("Timeout");
            assertThat(ac.path("cause").asText())
                    .isEqualTo("RecordAC: ActiveCampaign did not answer within 500 ms (attempt 4 of 4)");
        }

        @Test
        void a_dropped_connection_is_a_connection_failure_that_is_retried() {
            activeCampaignAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
            JsonNode ac = step(signUpAndWait("acgone@example.org", "Ac", "Gone"), "RecordAC");
            assertThat(ac.path("status").asText()).isEqualTo("FAILED");
            assertThat(ac.path("error").asText()).isEqualTo("ConnectionFailed");
            assertThat(ac.path("attempts").asInt()).isEqualTo(4);
            activeCampaign.verify(4, postRequestedFor(urlEqualTo(AC_SYNC)));
        }
    }
}
