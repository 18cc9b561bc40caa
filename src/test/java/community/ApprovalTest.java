package community;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import community.testing.Browsers;
import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * SIGNUP_APPROVAL=true: InviteSlack waits for an organiser (WAITING, the execution RUNNING and stored, no lease,
 * no thread), across a restart; approved, the invite goes out exactly once; rejected, nothing goes out and the
 * execution ends; unanswered too long, it expires.
 */
class ApprovalTest {

    static final String ADMIN_TOKEN = "approval-test-operator-token-0123456789";
    final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    RunningService service;

    @BeforeEach
    void startUpstreams() {
        upstreams.start();
        Upstreams.answerNormally(upstreams);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        upstreams.stop();
    }

    Map<String, String> settings() {
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-approval-test-token", "ac-approval-key");
        settings.put("signup.approval", "true");
        settings.put("signup.admin-token", ADMIN_TOKEN);
        return settings;
    }

    Answer operator(String path, String method) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    JsonNode signUpAndWaitForTheOrganiser(String email) {
        Answer answer = service.postJson("/signup?wait=true", "{\"email\":\"" + email + "\",\"name\":\"Elf Helper\"}");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode execution = answer.json();
        assertThat(execution.path("status").asText()).isEqualTo("RUNNING");
        assertThat(execution.path("results").path("InviteSlack").path("status").asText()).isEqualTo("WAITING");
        assertThat(execution.path("results").path("RecordDB").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(execution.path("results").path("RecordAC").path("status").asText()).isEqualTo("SUCCEEDED");
        return execution;
    }

    JsonNode ended(String id) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> service.get("/signup/" + id).json(),
                doc -> !doc.path("status").asText().equals("RUNNING"));
    }

    @Test
    void an_approved_invite_goes_out_once_even_when_the_service_restarted_while_it_waited() {
        service = RunningService.start(settings());
        JsonNode waiting = signUpAndWaitForTheOrganiser("elf@example.org");
        String id = waiting.path("executionId").asText();
        upstreams.verify(0, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));
        assertThat(operator("/executions?status=WAITING", "GET").json().path("executions").findValuesAsText("executionId"))
                .contains(id);
        String page = service.send(HttpRequest.newBuilder(service.uri("/signup/" + id)).header("Accept", "text/html")
                .GET()).body();
        assertThat(page).contains("An organiser will look at your request; you will get an e-mail.")
                .contains("badge WAITING").doesNotContain("http-equiv=\"refresh\"");

        // the waiting request is only in the store: a restarted service (or another instance) answers it
        Map<String, String> again = settings();
        again.putAll(service.sameTables());
        service.close();
        service = RunningService.start(again);
        Answer approved = operator("/executions/" + id + "/approve", "POST");
        assertThat(approved.status()).isEqualTo(202);

        JsonNode done = ended(id);
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.path("results").path("InviteSlack").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.path("results").path("InviteSlack").path("detail").asText()).isEqualTo("invited");
        upstreams.verify(1, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE))
                .withRequestBody(containing("email=elf%40example.org")));
        assertThat(operator("/executions/" + id + "/approve", "POST").status()).as("answered already").isEqualTo(409);
        upstreams.verify(1, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));
    }

    @Test
    void an_address_that_signs_up_again_while_its_request_waits_is_told_an_organiser_looks_at_each() {
        Map<String, String> settings = settings();
        settings.put("slack.organization", "testorg");
        service = RunningService.start(settings);
        String id = signUpAndWaitForTheOrganiser("twice@example.org").path("executionId").asText();

        Answer formPost = service.postForm("/signup", "email=twice%40example.org&name=Elf+Again", "text/html");
        assertThat(formPost.header("Location")).isEqualTo("/signup/already-signed-up");
        String page = service.send(HttpRequest.newBuilder(service.uri(formPost.header("Location")))
                .header("Accept", "text/html").GET()).body();
        // not "look for the invite in its inbox": none has gone yet, and none may
        assertThat(page).contains("This address has already signed up: an organiser looks at each request, and the "
                + "invite comes by e-mail; members sign in at <a href=\"https://testorg.slack.com\">")
                .doesNotContain("inbox", id, "Elf");
        upstreams.verify(0, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));
        // and the form said so before: no invite at once
        assertThat(service.get("/").body()).contains("<p class=\"lede\">Leave your name and e-mail: an organiser "
                + "will look at your request, then you will get an invite to our Slack workspace by e-mail, and we will "
                + "keep you posted.</p>");
    }

    @Test
    void a_person_whose_invite_waits_can_be_forgotten_and_then_there_is_nothing_to_approve() {
        service = RunningService.start(settings());
        String id = signUpAndWaitForTheOrganiser("changed-mind@example.org").path("executionId").asText();

        // stored as waiting once its other steps have ended: until then, 409 (its steps run)
        Answer forgotten = await().atMost(Duration.ofSeconds(20)).until(() -> service.send(HttpRequest.newBuilder(
                service.uri("/members/forget")).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"changed-mind@example.org\"}"))),
                answer -> answer.status() != 409);

        assertThat(forgotten.status()).as(forgotten.body()).isEqualTo(200);
        assertThat(forgotten.json().path("executions").asInt()).isEqualTo(1);
        assertThat(operator("/executions/" + id + "/approve", "POST").status()).isEqualTo(404);
        assertThat(operator("/executions?status=WAITING", "GET").json().path("executions").findValuesAsText("executionId"))
                .doesNotContain(id);
        upstreams.verify(0, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));
    }

    @Test
    void an_invite_that_waits_while_the_other_steps_still_run_can_be_approved_at_once() {
        // ActiveCampaign is slow: InviteSlack waits for an organiser while RecordAC still runs
        upstreams.stubFor(post(urlEqualTo(Upstreams.AC_SYNC)).willReturn(Upstreams.contactCreated()
                .withFixedDelay(1500)));
        service = RunningService.start(settings());
        String id = service.postJson("/signup", "{\"email\":\"early@example.org\",\"name\":\"Ear Ly\"}").json()
                .path("executionId").asText();
        JsonNode live = await().atMost(Duration.ofSeconds(10)).until(() -> service.get("/signup/" + id).json(),
                doc -> doc.path("results").path("InviteSlack").path("status").asText().equals("WAITING"));
        assertThat(live.path("results").path("RecordAC").path("status").asText()).isEqualTo("RUNNING");

        Answer approved = operator("/executions/" + id + "/approve", "POST");
        assertThat(approved.status()).as(approved.body()).isEqualTo(202);

        JsonNode done = ended(id);
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.path("results").path("InviteSlack").path("detail").asText()).isEqualTo("invited");
        upstreams.verify(1, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE))
                .withRequestBody(containing("email=early%40example.org")));
    }

    @Test
    void a_rejected_request_ends_the_execution_and_nothing_goes_to_the_person() {
        service = RunningService.start(settings());
        String id = signUpAndWaitForTheOrganiser("grinch@example.org").path("executionId").asText();
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/executions/" + id + "/reject"))
                .POST(HttpRequest.BodyPublishers.noBody())).status()).as("without the token").isEqualTo(401);

        Answer rejected = operator("/executions/" + id + "/reject", "POST");
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().path("status").asText()).isEqualTo("SUCCEEDED");

        JsonNode done = service.get("/signup/" + id).json();
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.path("results").path("InviteSlack").path("status").asText()).isEqualTo("SKIPPED");
        assertThat(done.path("results").path("InviteSlack").path("error").asText()).isEqualTo("Rejected");
        assertThat(operator("/executions/" + id + "/reject", "POST").status()).isEqualTo(409);
        assertThat(operator("/executions/" + id + "/approve", "POST").status()).isEqualTo(409);
        upstreams.verify(0, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));
    }

    @Test
    void two_organisers_answering_one_request_at_once_get_one_answer_through_and_the_other_a_409() {
        service = RunningService.start(settings());
        List<String> ids = IntStream.range(0, 8).mapToObj(i -> signUpAndWaitForTheOrganiser("pair" + i + "@example.org")
                .path("executionId").asText()).toList();
        ExecutorService organisers = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Answer>> approvals = new ArrayList<>();
            List<CompletableFuture<Answer>> rejections = new ArrayList<>();
            for (String id : ids) {
                approvals.add(CompletableFuture.supplyAsync(() -> operator("/executions/" + id + "/approve", "POST"),
                        organisers));
                rejections.add(CompletableFuture.supplyAsync(() -> operator("/executions/" + id + "/reject", "POST"),
                        organisers));
            }
            int invites = 0;
            for (int i = 0; i < ids.size(); i++) {
                int approved = approvals.get(i).join().status();
                int rejected = rejections.get(i).join().status();
                assertThat(approved + " " + rejected).as("approve, reject: one through, the other refused")
                        .isIn("202 409", "409 200");
                JsonNode invite = ended(ids.get(i)).path("results").path("InviteSlack");
                if (approved == 202) {
                    invites++;
                    assertThat(invite.path("detail").asText()).isEqualTo("invited");
                } else {
                    assertThat(invite.path("error").asText()).isEqualTo("Rejected");
                }
                upstreams.verify(approved == 202 ? 1 : 0, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE))
                        .withRequestBody(containing("email=pair" + i + "%40example.org")));
            }
            upstreams.verify(invites, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));
        } finally {
            organisers.shutdown();
        }
    }

    @Test
    void a_request_no_organiser_answers_in_time_expires_and_the_organisers_are_told() {
        Map<String, String> settings = settings();
        settings.put("signup.approval-timeout", "2s");
        settings.put("signup.recovery-interval", "200");
        settings.put("slack.notify-webhook-url", upstreams.baseUrl() + "/services/T0/B0/approval-hook");
        upstreams.stubFor(post(urlEqualTo("/services/T0/B0/approval-hook")).willReturn(ok("ok")));
        service = RunningService.start(settings);
        String id = signUpAndWaitForTheOrganiser("late@example.org").path("executionId").asText();

        JsonNode done = ended(id);
        assertThat(done.path("status").asText()).isEqualTo("FAILED");
        assertThat(done.path("results").path("InviteSlack").path("status").asText()).isEqualTo("FAILED");
        assertThat(done.path("results").path("InviteSlack").path("error").asText()).isEqualTo("Expired");
        upstreams.verify(0, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> upstreams.verify(1,
                postRequestedFor(urlEqualTo("/services/T0/B0/approval-hook")).withRequestBody(matchingJsonPath(
                        "$.blocks[0].text.text", equalTo("Sign-up failed: Elf Helper (late@example.org)\n"
                                + "• InviteSlack: no organiser answered the request in time\n"
                                + "To invite them after all, redrive it on the dashboard (/admin), then approve it.")))));

        // as the notice says: the redrive asks again, and the request waits another SIGNUP_APPROVAL_TIMEOUT from then
        // (it had expired again at the next look, every 200 ms here, its time counted from the sign-up), and the
        // approval sends the invite
        assertThat(operator("/executions/" + id + "/redrive", "POST").status()).isEqualTo(202);
        Callable<Boolean> waits = () -> service.get("/signup/" + id).json().path("results").path("InviteSlack")
                .path("status").asText().equals("WAITING");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(waits);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(waits);
        assertThat(operator("/executions/" + id + "/approve", "POST").status()).isEqualTo(202);
        assertThat(ended(id).path("status").asText()).isEqualTo("SUCCEEDED");
        upstreams.verify(1, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://signup.northpole.example/", "https://signup.northpole.example",
            "https://signup.northpole.example/admin" })
    void the_organisers_notice_says_the_request_waits_and_links_to_the_dashboard(String publicUrl) {
        // the last: the dashboard's address pasted as the service's, which had linked to /admin/admin
        Map<String, String> settings = settings();
        settings.put("slack.notify-webhook-url", upstreams.baseUrl() + "/services/T0/B0/approval-hook");
        settings.put("signup.public-url", publicUrl);
        upstreams.stubFor(post(
                urlEqualTo("/services/T0/B0/approval-hook")).willReturn(
                        ok("ok")));
        service = RunningService.start(settings);
        JsonNode waiting = signUpAndWaitForTheOrganiser("noticed@example.org");
        assertThat(waiting.path("results").path("NotifyOrganisers").path("status").asText()).isEqualTo("SUCCEEDED");
        upstreams.verify(1, postRequestedFor(urlEqualTo("/services/T0/B0/approval-hook")).withRequestBody(
                matchingJsonPath("$.blocks[0].text.text", equalTo("New sign-up: Elf Helper "
                        + "(noticed@example.org). The invite waits for an organiser's approval: "
                        + "<https://signup.northpole.example/admin|approve or reject it on the dashboard>"))));
    }

    @Test
    void in_a_browser_an_organiser_approves_from_the_dashboard_and_the_visitors_page_tells_them_before_and_after()
            throws Exception {
        Browsers.requireInstalled();
        service = RunningService.start(settings());
        WebDriver browser = Browsers.chromium(true, false);
        try {
            WebDriverWait waiting = new WebDriverWait(browser, Duration.ofSeconds(15));
            browser.get(service.uri("/").toString());
            browser.findElement(By.id("name")).sendKeys("Jingle Bell");
            browser.findElement(By.id("email")).sendKeys("jingle@example.org");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome"),
                    "An organiser will look at your request; you will get an e-mail."));
            String reference = browser.findElement(By.id("reference")).getText().replace("Reference: ", "");
            upstreams.verify(0, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));

            browser.manage().window().setSize(new Dimension(1280, 800));
            browser.get(service.uri("/admin").toString());
            waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(ADMIN_TOKEN);
            browser.findElement(By.cssSelector("#login button")).click();
            new Select(waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("filter"))))
                    .selectByValue("WAITING");
            By row = By.xpath("//tbody[@id='rows']/tr[td[2]/div[1][text()='jingle@example.org']]");
            waiting.ignoring(StaleElementReferenceException.class).until(driver -> {
                driver.findElement(row).findElement(By.cssSelector("button.approve")).click();
                return true;
            });
            JsonNode done = ended(reference);
            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            upstreams.verify(1, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));

            // the visitor's page, opened again from its address, now says the invite went out
            browser.get(service.uri("/signup/" + reference).toString());
            assertThat(browser.findElement(By.id("outcome")).getText())
                    .isEqualTo("Invite sent! Check your inbox for an e-mail from Slack.");
        } finally {
            browser.quit();
        }
    }

    @Test
    void a_request_that_does_not_wait_cannot_be_approved() {
        Map<String, String> settings = settings();
        settings.put("signup.approval", "false");
        service = RunningService.start(settings);
        String id = service.postJson("/signup?wait=true", "{\"email\":\"direct@example.org\"}").json()
                .path("executionId").asText();
        Answer answer = operator("/executions/" + id + "/approve", "POST");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().path("error").asText())
                .isEqualTo("this execution does not wait for an organiser's answer (it is SUCCEEDED)");
    }
}
