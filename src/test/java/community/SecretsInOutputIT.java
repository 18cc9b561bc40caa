package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import community.testing.Dynalite;
import community.testing.ServiceProcess;

/**
 * The packaged jar started as an operator starts it, with a distinctive value for every secret of DESIGN.md
 * "Secrets", some from the environment and some from signup.env, through the happy path and every failure path
 * (upstreams that refuse and echo the secrets back, a refused CAPTCHA, wrong and misplaced operator tokens, bad
 * input): its whole output, Camel's own start-up summaries included, holds none of them.
 */
class SecretsInOutputIT {

    static final String SLACK_TOKEN = "xoxs-ENV-slack-5c1e3b9a";
    static final String ADMIN_TOKEN = "ENV-operator-token-0f7d2e6b4a9c8d1e3f5a";
    static final String AWS_KEY_ID = "AKIAENVKEYID7Q2W";
    static final String AWS_SECRET = "ENV-aws-secret-key-6b2d9f";
    static final String AWS_SESSION = "ENV-aws-session-token-1a8c";
    static final String AC_KEY = "FILE-ac-key-8e4a27";
    static final String CAPTCHA_SECRET = "FILE-captcha-secret-3d9b51";
    /** SIGNUP_MAIL_PASSWORD: set without a mail server here, it must still be masked wherever an answer echoes it. */
    static final String MAIL_PASSWORD = "ENV-mail-password-9e1f07";
    static final String INVITE_LINK = "https://join.slack.com/t/secrets/shared_invite/zt-ENV-invite-link-2f6a";
    /** The token part of the organisers' webhook address (NotifyOrganisers). */
    static final String WEBHOOK_TOKEN = "ENV-webhook-token-4d8a61";
    static final List<String> SECRETS = List.of(SLACK_TOKEN, ADMIN_TOKEN, AWS_KEY_ID, AWS_SECRET, AWS_SESSION, AC_KEY,
            CAPTCHA_SECRET, MAIL_PASSWORD, WEBHOOK_TOKEN);

    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    /** What the organisers' channel was sent (the sign-ups' notices, and the failed ones'), kept across resets. */
    static final List<String> toTheOrganisers = new ArrayList<>();
    static ServiceProcess service;

    @BeforeAll
    static void start() throws IOException {
        upstreams.start();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> environment = new HashMap<>(Map.of(
                "DYNAMODB_ENDPOINT", Dynalite.endpoint(),
                "DYNAMODB_TABLE", "secret-members-" + suffix,
                "DYNAMODB_EXECUTIONS_TABLE", "secret-executions-" + suffix,
                "SLACK_API_URL", upstreams.baseUrl() + "/api",
                "SLACK_ADMIN_TOKEN", SLACK_TOKEN,
                "SIGNUP_ADMIN_TOKEN", ADMIN_TOKEN,
                "AWS_ACCESS_KEY_ID", AWS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", AWS_SECRET,
                "AWS_SESSION_TOKEN", AWS_SESSION,
                "SIGNUP_RATE_LIMIT", "0"));
        environment.put("SIGNUP_ROUTES_RELOAD", "false");
        environment.put("SIGNUP_MAIL_PASSWORD", MAIL_PASSWORD);
        // not a secret, but never logged: anyone holding it can join the workspace
        environment.put("SLACK_INVITE_URL", INVITE_LINK);
        environment.put("SLACK_NOTIFY_WEBHOOK_URL", upstreams.baseUrl() + "/services/T0SECRET/B0SECRET/" + WEBHOOK_TOKEN);
        environment.put("SLACK_RETRIES", "1");
        environment.put("SLACK_RETRY_DELAY", "10");
        environment.put("ACTIVECAMPAIGN_RETRIES", "1");
        environment.put("ACTIVECAMPAIGN_RETRY_DELAY", "10");
        environment.put("ACTIVECAMPAIGN_RATE_LIMIT", "0");
        environment.put("SLACK_TIMEOUT", "500");
        Path folder = ServiceProcess.operatorFolder("secrets");
        Files.writeString(folder.resolve("signup.env"), String.join("\n",
                "ACTIVECAMPAIGN_URL=" + upstreams.baseUrl(),
                "ACTIVECAMPAIGN_API_KEY=" + AC_KEY,
                "SIGNUP_CAPTCHA_SITE_KEY=site-key-is-public",
                "SIGNUP_CAPTCHA_SECRET=" + CAPTCHA_SECRET,
                "SIGNUP_CAPTCHA_VERIFY_URL=" + upstreams.baseUrl() + "/siteverify", ""));
        service = ServiceProcess.start("secrets", environment, folder);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.sendTerm();
            service.awaitExit();
        }
        upstreams.stop();
    }

    static void upstreamsAnswer(ResponseDefinitionBuilder slack, ResponseDefinitionBuilder activeCampaign,
            ResponseDefinitionBuilder captcha) {
        keepWhatTheOrganisersWereSent();
        upstreams.resetAll();
        upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite")).willReturn(slack));
        // the organisers' webhook answers as Slack does, echoes included
        upstreams.stubFor(post(urlEqualTo("/services/T0SECRET/B0SECRET/" + WEBHOOK_TOKEN)).willReturn(slack));
        upstreams.stubFor(post(urlEqualTo("/api/3/contact/sync")).willReturn(activeCampaign));
        upstreams.stubFor(post(urlEqualTo("/siteverify")).willReturn(captcha));
    }

    static void keepWhatTheOrganisersWereSent() {
        upstreams.findAll(postRequestedFor(urlEqualTo("/services/T0SECRET/B0SECRET/" + WEBHOOK_TOKEN)))
                .forEach(request -> toTheOrganisers.add(request.getBodyAsString()));
    }

    static JsonNode signUp(String email) {
        return service.post("/signup?wait=true",
                "{\"email\":\"" + email + "\",\"name\":\"Se Cret\",\"captcha\":\"ok\"}");
    }

    static JsonNode operator(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return service.request(request);
    }

    @Test
    void no_secret_appears_in_the_output_or_any_answer() {
        // the upstreams echo every secret the service holds
        String echo = "every secret: " + String.join(" ", SECRETS);
        String echoJson = "{\"error\":\"" + echo + "\"}";
        List<JsonNode> answers = new ArrayList<>();

        upstreamsAnswer(okJson("{\"ok\":true}"), aResponse().withStatus(201).withBody("{\"contact\":{\"id\":\"7\"}}"),
                okJson("{\"success\":true}"));
        JsonNode happy = signUp("happy@example.org");
        assertThat(happy.path("body").path("status").asText()).as(happy.toString()).isEqualTo("SUCCEEDED");
        answers.add(happy);

        upstreamsAnswer(okJson("{\"ok\":false,\"error\":\"bad_request token=" + SLACK_TOKEN + "\"}"),
                aResponse().withStatus(403).withBody(echoJson), okJson("{\"success\":true}"));
        answers.add(signUp("echoed@example.org"));
        upstreamsAnswer(okJson("{\"ok\":false,\"error\":\"invalid_auth\",\"echo\":\"" + echo + "\"}"),
                aResponse().withStatus(422).withBody(echoJson), okJson("{\"success\":true}"));
        answers.add(signUp("refused@example.org"));
        upstreamsAnswer(aResponse().withStatus(500).withBody(echo), aResponse().withStatus(503).withBody(echo),
                okJson("{\"success\":true}"));
        answers.add(signUp("broken@example.org"));
        upstreamsAnswer(okJson("{\"ok\":true}").withFixedDelay(1500), aResponse().withStatus(429).withBody(echo),
                okJson("{\"success\":true}"));
        answers.add(signUp("slow@example.org"));
        upstreamsAnswer(okJson("{\"ok\":true}"), okJson("{}"),
                okJson("{\"success\":false,\"error-codes\":[\"" + CAPTCHA_SECRET + "\"]}"));
        JsonNode captchaRefused = signUp("bot@example.org");
        assertThat(captchaRefused.path("status").asInt()).isEqualTo(400);
        answers.add(captchaRefused);
        answers.add(service.post("/signup", "{\"email\":\"" + SLACK_TOKEN + "\"}"));

        JsonNode listing = operator("/executions", "Bearer " + ADMIN_TOKEN);
        assertThat(listing.path("status").asInt()).isEqualTo(200);
        answers.add(listing);
        answers.add(operator("/executions", "Bearer " + ADMIN_TOKEN + "x"));
        answers.add(operator("/executions?Authorization="
                + URLEncoder.encode("Bearer " + ADMIN_TOKEN, StandardCharsets.UTF_8), null));
        answers.add(operator("/observe/metrics", null));

        for (JsonNode answer : answers) {
            assertThat(answer.toString()).doesNotContain(SECRETS);
        }
        service.sendTerm();
        service.awaitExit();
        keepWhatTheOrganisersWereSent();
        assertThat(toTheOrganisers).as("the organisers' channel was told of the failed sign-ups")
                .anyMatch(message -> message.contains("Sign-up failed: Se Cret (refused@example.org)"));
        assertThat(toTheOrganisers).allSatisfy(message -> assertThat(message).doesNotContain(SECRETS));
        String output = service.log();
        assertThat(output).as("Camel's start-up summary ran, masked")
                .contains("Property-placeholders summary")
                .containsPattern("slack\\.admin-token = x+")
                .containsPattern("signup\\.captcha-secret = x+");
        assertThat(output).as("the secrets were used: each failure path was taken")
                .contains("InviteSlack failed", "RecordAC failed", "NotifyOrganisers failed");
        for (String secret : SECRETS) {
            assertThat(output).as("the output names " + secret).doesNotContain(secret);
        }
        assertThat(output).as("the shared invite link").doesNotContain("zt-ENV-invite-link");
        service = null;
    }
}
