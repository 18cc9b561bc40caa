package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import community.testing.Browsers;
import community.testing.LogCapture;
import community.testing.RunningService;
import community.testing.Upstreams;

/**
 * NotifyOrganisers, the fourth step, added as a route file and a line in the fan-out: each sign-up posted to a
 * Slack incoming webhook (a WireMock one here), beside the other steps. The webhook's address holds its token: it
 * appears in no log line and no metric.
 */
class NotifyOrganisersTest {

    static final String HOOK = "/services/T0NPOLE01/B0HOOK01/s3cr3tWebhookToken42";
    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static LogCapture log;
    static RunningService service;

    @BeforeAll
    static void start() {
        upstreams.start();
        log = LogCapture.start();
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-notify-test-token", "ac-notify-test-key");
        settings.put("slack.notify-webhook-url", upstreams.baseUrl() + HOOK);
        // as shipped: Slack takes about a message a second from a webhook
        settings.put("slack.notify-rate-limit", "1");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        log.close();
        service.close();
        upstreams.stop();
    }

    @BeforeEach
    void answerNormally() {
        upstreams.resetAll();
        Upstreams.answerNormally(upstreams);
        upstreams.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    JsonNode signUp(String body) {
        RunningService.Answer answer = service.postJson("/signup?wait=true", body);
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void each_sign_up_is_posted_to_the_webhook_naming_the_person_and_the_address() {
        JsonNode execution = signUp("{\"email\":\"santa@example.org\",\"name\":\"Santa Claus\"}");

        JsonNode notice = execution.path("results").path("NotifyOrganisers");
        assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(notice.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(notice.path("detail").asText()).isEqualTo("posted");
        upstreams.verify(1, postRequestedFor(urlEqualTo(HOOK))
                .withRequestBody(equalToJson("{\"text\": \"New sign-up: Santa Claus (santa@example.org)\", "
                        + "\"blocks\": [{\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\", "
                        + "\"text\": \"New sign-up: Santa Claus (santa@example.org)\", \"verbatim\": true}}], "
                        + "\"unfurl_links\": false, \"unfurl_media\": false}")));
    }

    @Test
    void a_name_cannot_put_a_link_or_a_mention_into_the_organisers_channel() {
        signUp("{\"email\":\"grinch@example.org\",\"first_name\":\"<!channel>\",\"last_name\":\"<https://evil.example|win>\"}");
        upstreams.verify(1, postRequestedFor(urlEqualTo(HOOK)).withRequestBody(shown(
                "New sign-up: &lt;!channel&gt; &lt;https://evil.example|win&gt; (grinch@example.org)")));
    }

    @Test
    void an_address_in_a_name_is_neither_a_link_nor_unfurled_in_the_organisers_channel() {
        signUp("{\"email\":\"whoville@example.org\",\"name\":\"Who https://tracker.example/x\"}");
        upstreams.verify(1, postRequestedFor(urlEqualTo(HOOK))
                .withRequestBody(shown("New sign-up: Who https://tracker.example/x (whoville@example.org)"))
                .withRequestBody(matchingJsonPath("$.blocks[0].text.verbatim", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.unfurl_links", equalTo("false")))
                .withRequestBody(matchingJsonPath("$.unfurl_media", equalTo("false"))));
    }

    /** The notice as the organisers' channel shows it: the text of its one section. */
    static StringValuePattern shown(String text) {
        return matchingJsonPath("$.blocks[0].text.text", equalTo(text));
    }

    @Test
    void a_busy_webhook_is_tried_again_and_a_refusing_one_fails_only_its_step() {
        upstreams.stubFor(post(urlEqualTo(HOOK)).inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("ok"));
        upstreams.stubFor(post(urlEqualTo(HOOK)).inScenario("busy").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        JsonNode retried = signUp("{\"email\":\"dancer@example.org\",\"name\":\"Dancer\"}")
                .path("results").path("NotifyOrganisers");
        assertThat(retried.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(retried.path("attempts").asInt()).isEqualTo(2);

        upstreams.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(404).withBody("no_service")));
        JsonNode execution = signUp("{\"email\":\"comet@example.org\",\"name\":\"Comet\"}");
        JsonNode refused = execution.path("results").path("NotifyOrganisers");
        assertThat(execution.path("status").asText()).isEqualTo("FAILED");
        assertThat(refused.path("status").asText()).isEqualTo("FAILED");
        assertThat(refused.path("error").asText()).isEqualTo("Rejected");
        assertThat(refused.path("cause").asText())
                .isEqualTo("NotifyOrganisers: The organisers' Slack webhook answered HTTP 404: no_service (attempt 1 of 4)");
        for (String other : List.of("RecordDB", "RecordAC", "InviteSlack")) {
            assertThat(execution.path("results").path(other).path("status").asText()).as(other).isEqualTo("SUCCEEDED");
        }
        // the execution FAILED, and its failure notice too is refused: the log says so, once, and names no secret
        String notTold = "The organisers were not told that execution " + execution.path("executionId").asText()
                + " FAILED (Rejected from their webhook); the dashboard shows it";
        await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().contains(notTold));
        upstreams.verify(1, postRequestedFor(urlEqualTo(HOOK)).withRequestBody(containing("Sign-up failed")));
    }

    @Test
    void a_sign_up_that_failed_is_told_to_the_organisers_with_the_step_and_why_even_past_a_busy_webhook() {
        signUp("{\"email\":\"prancer@example.org\",\"name\":\"Prancer\"}");
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        upstreams.stubFor(post(urlEqualTo(HOOK)).withRequestBody(containing("Sign-up failed")).inScenario("busy")
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0"))
                .willSetStateTo("ok"));
        upstreams.stubFor(post(urlEqualTo(HOOK)).withRequestBody(containing("Sign-up failed")).inScenario("busy")
                .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200).withBody("ok")));

        JsonNode execution = signUp("{\"email\":\"vixen@example.org\",\"name\":\"Vixen <Reindeer>\"}");

        assertThat(execution.path("status").asText()).isEqualTo("FAILED");
        String told = "Sign-up failed: Vixen &lt;Reindeer&gt; (vixen@example.org)\n"
                + "• InviteSlack: Slack answered invalid_auth (attempt 1 of 4)\n"
                + "Once the cause is put right, redrive it on the dashboard (/admin).";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> upstreams.verify(2,
                postRequestedFor(urlEqualTo(HOOK)).withRequestBody(shown(told))));
        // the 503 and the try after it; the one that succeeded before was told as a new sign-up, not as a failure
        assertThat(upstreams.findAll(postRequestedFor(urlEqualTo(HOOK)).withRequestBody(containing("Sign-up failed"))))
                .noneMatch(request -> request.getBodyAsString().contains("prancer"));
        assertThat(log.messages()).noneMatch(line -> line.contains("were not told that execution "
                + execution.path("executionId").asText()));
    }

    @Test
    void a_notice_that_failed_is_the_organisers_business_not_the_visitors() throws Exception {
        Browsers.requireInstalled();
        upstreams.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(404).withBody("no_service")));
        WebDriver browser = Browsers.chromium(true, false);
        try {
            browser.get(service.uri("/").toString());
            browser.findElement(By.id("name")).sendKeys("Cupid");
            browser.findElement(By.id("email")).sendKeys("cupid.notice@example.org");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(
                    ExpectedConditions.textToBe(By.id("outcome"), "Invite sent! Check your inbox for an e-mail from Slack."));
            assertThat(browser.findElement(By.id("progress")).getText()).contains("Sending your Slack invite")
                    .doesNotContain("Telling the organisers");
            String id = browser.findElement(By.id("reference")).getText().replace("Reference: ", "");
            // the execution says what happened, for the organisers
            JsonNode execution = service.get("/signup/" + id).json();
            assertThat(execution.path("status").asText()).isEqualTo("FAILED");
            assertThat(execution.path("results").path("NotifyOrganisers").path("status").asText()).isEqualTo("FAILED");
            // and without JavaScript the page says the same as with it
            String page = service.send(HttpRequest.newBuilder(service.uri("/signup/" + id))
                    .header("Accept", "text/html")).body();
            assertThat(page).contains("<strong id=\"status\">SUCCEEDED</strong>").contains("Invite sent!")
                    .doesNotContain("Telling the organisers").doesNotContain("Sorry");
            // their failure notice goes the same way, refused: the log says so
            await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().contains("The organisers were not "
                    + "told that execution " + id + " FAILED (Rejected from their webhook); the dashboard shows it"));
        } finally {
            browser.quit();
        }
    }

    @Test
    void a_notice_still_on_its_way_does_not_keep_the_visitor_waiting() throws Exception {
        // a notice can take seconds: queued behind the webhook's one a second after a burst of sign-ups, or, here,
        // retried after the 4 s the webhook's 429 asks for
        for (String who : List.of("comet", "dancer")) {
            upstreams.stubFor(post(urlEqualTo(HOOK)).withRequestBody(containing(who + ".notice")).inScenario(who)
                    .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "4"))
                    .willSetStateTo("asked to wait"));
            upstreams.stubFor(post(urlEqualTo(HOOK)).withRequestBody(containing(who + ".notice")).inScenario(who)
                    .whenScenarioStateIs("asked to wait").willReturn(aResponse().withStatus(200).withBody("ok")));
        }
        String status = service.postJson("/signup", "{\"email\":\"comet.notice@example.org\",\"name\":\"Comet\"}")
                .header("Location");
        HttpRequest.Builder page = HttpRequest.newBuilder(service.uri(status)).header("Accept", "text/html");
        await().atMost(Duration.ofSeconds(4)).until(() -> service.send(page).body()
                .contains("<strong id=\"status\">SUCCEEDED</strong>"));
        assertThat(service.send(page).body()).contains("Invite sent! Check your inbox for an e-mail from Slack.")
                .doesNotContain("Working on").doesNotContain("Still trying").doesNotContain("http-equiv=\"refresh\"");
        assertThat(service.get(status).json().path("status").asText()).as("the execution").isEqualTo("RUNNING");

        Browsers.requireInstalled();
        WebDriver browser = Browsers.chromium(true, false);
        try {
            browser.get(service.uri("/").toString());
            browser.findElement(By.id("name")).sendKeys("Dancer");
            browser.findElement(By.id("email")).sendKeys("dancer.notice@example.org");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            new WebDriverWait(browser, Duration.ofSeconds(4)).until(ExpectedConditions.textToBe(By.id("outcome"),
                    "Invite sent! Check your inbox for an e-mail from Slack."));
            // the page stopped following it: the outcome has the focus
            assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("progress");
            String id = browser.findElement(By.id("reference")).getText().replace("Reference: ", "");
            assertThat(service.get("/signup/" + id).json().path("status").asText()).as("the execution")
                    .isEqualTo("RUNNING");
        } finally {
            browser.quit();
        }
        // both notices went out in the end, each at its second try
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> upstreams.verify(4,
                postRequestedFor(urlEqualTo(HOOK)).withRequestBody(containing("New sign-up: "))));
        await().atMost(Duration.ofSeconds(20)).until(() -> service.get(status).json().path("status").asText()
                .equals("SUCCEEDED"));
    }

    @Test
    void after_a_burst_of_sign_ups_their_contacts_do_not_go_at_the_pace_of_the_organisers_notices() {
        // a talk ends with "join us": forty people sign up at once. The notices go one a second, ActiveCampaign takes
        // five a second, and each sign-up's contact must not wait for the notices: in one throttle for every upstream,
        // the notices waiting their turn held its threads, and ActiveCampaign's requests went at the notices' pace
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-notify-test-token", "ac-notify-test-key");
        settings.put("slack.notify-webhook-url", upstreams.baseUrl() + HOOK);
        settings.put("slack.notify-rate-limit", "1");
        settings.put("activecampaign.rate-limit", "5");
        int people = 40;
        try (RunningService meetup = RunningService.start(settings)) {
            List<RunningService.Answer> accepted = meetup.postAllAtOnce("/signup",
                    RunningService.signups("meetup", people));
            assertThat(accepted).allMatch(answer -> answer.status() == 202);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> upstreams.verify(people,
                    postRequestedFor(urlEqualTo(HOOK)).withRequestBody(containing("New sign-up: "))));
            List<Instant> notices = Upstreams.requestTimes(upstreams, HOOK);
            List<Instant> contacts = Upstreams.requestTimes(upstreams, Upstreams.AC_SYNC);
            assertThat(contacts).hasSize(people);
            // at five a second the forty take eight seconds, in which the webhook takes about nine notices (in one
            // throttle, the last contact went after some thirty)
            Instant last = contacts.get(people - 1);
            assertThat(notices.stream().filter(notice -> notice.isBefore(last)).count())
                    .as("notices posted before the last contact").isLessThanOrEqualTo(14);
            for (RunningService.Answer answer : accepted) {
                await().atMost(Duration.ofSeconds(10)).until(() -> meetup.get(answer.header("Location")).json()
                        .path("status").asText().equals("SUCCEEDED"));
            }
        }
    }

    @Test
    void a_sign_up_whose_notice_is_still_on_its_way_leaves_its_place_to_the_next() {
        // one execution runs at a time (signup.max-running 1), and the first one's notice is asked to wait 4 s: the
        // second sign-up's steps run meanwhile, where they had waited for that notice
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-notify-test-token", "ac-notify-test-key");
        settings.put("slack.notify-webhook-url", upstreams.baseUrl() + HOOK);
        settings.put("signup.max-running", "1");
        upstreams.stubFor(post(urlEqualTo(HOOK)).withRequestBody(containing("prancer.first")).inScenario("first")
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "4"))
                .willSetStateTo("asked to wait"));
        upstreams.stubFor(post(urlEqualTo(HOOK)).withRequestBody(containing("prancer.first")).inScenario("first")
                .whenScenarioStateIs("asked to wait").willReturn(aResponse().withStatus(200).withBody("ok")));
        try (RunningService one = RunningService.start(settings)) {
            String first = one.postJson("/signup", "{\"email\":\"prancer.first@example.org\",\"name\":\"Prancer\"}")
                    .header("Location");
            await().atMost(Duration.ofSeconds(4)).until(() -> one.get(first).json().path("results")
                    .path("InviteSlack").path("status").asText().equals("SUCCEEDED"));

            RunningService.Answer second = one.postJson("/signup?wait=true",
                    "{\"email\":\"prancer.second@example.org\",\"name\":\"Prancer Two\"}");
            assertThat(second.json().path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(one.get(first).json().path("status").asText()).as("the first, its notice still to go")
                    .isEqualTo("RUNNING");
            await().atMost(Duration.ofSeconds(15)).until(() -> one.get(first).json().path("status").asText()
                    .equals("SUCCEEDED"));
            upstreams.verify(3, postRequestedFor(urlEqualTo(HOOK)));
        }
    }

    @Test
    void with_failure_notices_turned_off_the_visitor_is_not_told_the_organisers_know() {
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-notify-test-token", "ac-notify-test-key");
        settings.put("slack.notify-webhook-url", upstreams.baseUrl() + HOOK);
        settings.put("slack.notify-failures", "false");
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        try (RunningService quiet = RunningService.start(settings)) {
            RunningService.Answer failed = quiet.postJson("/signup?wait=true", "{\"email\":\"dasher@example.org\"}");
            assertThat(failed.json().path("status").asText()).isEqualTo("FAILED");
            String page = quiet.send(HttpRequest.newBuilder(quiet.uri("/signup/" + failed.json().path("executionId")
                    .asText())).header("Accept", "text/html")).body();
            assertThat(page).contains("Please try again later, or write to us quoting")
                    .doesNotContain("The organisers have been told");
        }
    }

    @Test
    void the_visitor_whose_sign_up_failed_reads_that_the_organisers_were_told_with_or_without_javascript()
            throws Exception {
        Browsers.requireInstalled();
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        for (boolean javascript : List.of(true, false)) {
            WebDriver browser = Browsers.chromium(javascript, false);
            try {
                browser.get(service.uri("/").toString());
                browser.findElement(By.id("name")).sendKeys("Blitzen");
                browser.findElement(By.id("email")).sendKeys("blitzen" + javascript + "@example.org");
                browser.findElement(By.cssSelector("button[type=submit]")).click();
                new WebDriverWait(browser, Duration.ofSeconds(15)).until(
                        ExpectedConditions.textToBePresentInElementLocated(By.id("outcome"), "Sorry"));
                assertThat(browser.findElement(By.id("outcome")).getText()).as("javascript " + javascript)
                        .matches("Sorry, something went wrong while sending your Slack invite\\. The organisers "
                                + "have been told and will put it right: you need not sign up again\\. Your "
                                + "reference: [0-9a-f-]{36}\\.");
                // and so they were
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> upstreams.verify(1,
                        postRequestedFor(urlEqualTo(HOOK)).withRequestBody(containing("Sign-up failed: Blitzen (blitzen"
                                + javascript + "@example.org)"))));
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void a_burst_of_sign_ups_is_told_a_notice_a_second_and_none_fails() {
        List<CompletableFuture<JsonNode>> burst = IntStream.range(0, 4).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> signUp("{\"email\":\"burst" + i + "@example.org\",\"name\":\"Burst " + i + "\"}"))).toList();

        for (CompletableFuture<JsonNode> signUp : burst) {
            JsonNode notice = signUp.join().path("results").path("NotifyOrganisers");
            assertThat(notice.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(notice.path("attempts").asInt()).isEqualTo(1);
        }
        Upstreams.assertNoMoreThanPerSecond(Upstreams.requestTimes(upstreams, HOOK), 4, 1);
        assertThat(service.get("/observe/metrics").body())
                .containsPattern("signup_rate_limit_waits_total\\{upstream=\"slack-notify\"\\} [1-9]");
    }

    @Test
    void the_webhooks_address_is_in_no_log_line_and_no_metric() {
        signUp("{\"email\":\"cupid@example.org\",\"name\":\"Cupid\"}");
        assertThat(service.get("/observe/metrics").body()).contains("signup_step_attempts_total{step=\"NotifyOrganisers\"}")
                .doesNotContain("s3cr3tWebhookToken42");
        assertThat(log.messages()).isNotEmpty().noneMatch(line -> line.contains("s3cr3tWebhookToken42"));
    }
}
