package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import community.testing.Browsers;
import community.testing.Dynalite;
import community.testing.LogCapture;
import community.testing.RunningService;
import community.testing.Upstreams;

/**
 * InviteSlack's three modes (DESIGN.md, Slack invites) against a WireMock Slack: admin.users.invite for Enterprise
 * Grid, the legacy users.admin.invite, and the shared invite link, handed to the person with no call at all. The
 * start-up log says which mode is in effect and why; a token Slack refuses for a method says which mode would work.
 */
class SlackInviteModesTest {

    static final String ADMIN_INVITE = "/api/admin.users.invite";
    static final String INVITE_LINK = "https://join.slack.com/t/northpole/shared_invite/zt-2abc-Def_456";

    /** A service of its own for each mode, its start-up log kept. */
    abstract static class Mode {
        final WireMockServer slack = new WireMockServer(options().dynamicPort());
        LogCapture log;
        RunningService service;
        Map<String, String> settings;

        abstract void configure(Map<String, String> settings);

        @BeforeAll
        void start() {
            slack.start();
            log = LogCapture.start();
            settings = Upstreams.settings(slack, "", "ac-modes-test-key");
            settings.remove("slack.admin-token");
            configure(settings);
            service = RunningService.start(settings);
        }

        @BeforeEach
        void answerNormally() {
            slack.resetAll();
            Upstreams.answerNormally(slack);
        }

        @AfterAll
        void stop() {
            log.close();
            if (service != null) {
                service.close();
            }
            slack.stop();
        }

        List<String> logged() {
            return log.messages();
        }

        JsonNode signUp(String email, String name) {
            RunningService.Answer answer = service.postJson("/signup?wait=true",
                    "{\"email\":\"" + email + "\",\"name\":\"" + name + "\"}");
            assertThat(answer.status()).isEqualTo(200);
            return answer.json();
        }

        /** The sentence above the form, which says what a sign-up brings. */
        String lede() {
            return onThePage("<p class=\"lede\">([^<]*)</p>");
        }

        /** The form's button, which says it again in a few words. */
        String button() {
            return onThePage("<button type=\"submit\">([^<]*)</button>");
        }

        String onThePage(String pattern) {
            Matcher found = Pattern.compile(pattern).matcher(service.get("/").body());
            assertThat(found.find()).as(pattern).isTrue();
            return found.group(1);
        }

        static Map<String, String> form(LoggedRequest request) {
            return Arrays.stream(request.getBodyAsString().split("&")).map(p -> p.split("=", 2))
                    .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Admin extends Mode {
        static final String TOKEN = "xoxp-grid-admin-token-98765";

        @Override
        void configure(Map<String, String> settings) {
            settings.put("slack.admin-token", TOKEN);
            settings.put("slack.team-id", "T0NPOLE01");
            settings.put("slack.channels", "C0GENERAL, C0WORKSHOP");
        }

        @Test
        void the_start_up_log_says_admin_mode_and_why() {
            assertThat(logged()).contains("Slack invites: admin mode (SLACK_TEAM_ID and SLACK_ADMIN_TOKEN are set)");
            assertThat(lede()).isEqualTo("Leave your name and e-mail: we will send you an invite to our Slack workspace, "
                    + "and we will keep you posted.");
            assertThat(button()).isEqualTo("Request my invite");
        }

        @Test
        void invites_with_the_token_in_the_authorization_header_and_the_workspace_channels_and_name_in_the_form() {
            slack.stubFor(post(urlEqualTo(ADMIN_INVITE)).willReturn(okJson("{\"ok\":true}")));
            JsonNode invite = signUp("dasher@example.org", "Dasher Reindeer").path("results").path("InviteSlack");

            assertThat(invite.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(invite.path("detail").asText()).isEqualTo("invited");
            List<LoggedRequest> calls = slack.findAll(postRequestedFor(urlEqualTo(ADMIN_INVITE)));
            assertThat(calls).hasSize(1);
            assertThat(calls.get(0).getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(form(calls.get(0))).containsExactlyInAnyOrderEntriesOf(Map.of("team_id", "T0NPOLE01",
                    "email", "dasher@example.org", "channel_ids", "C0GENERAL,C0WORKSHOP",
                    "real_name", "Dasher Reindeer"));
            assertThat(calls.get(0).getBodyAsString()).doesNotContain(TOKEN);
            slack.verify(0, postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)));
        }

        @Test
        void someone_already_in_the_workspace_is_not_a_failure() {
            slack.stubFor(post(urlEqualTo(ADMIN_INVITE))
                    .willReturn(okJson("{\"ok\":false,\"error\":\"already_in_team_invited_user\"}")));
            JsonNode execution = signUp("prancer@example.org", "Prancer Reindeer");
            assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(execution.path("results").path("InviteSlack").path("detail").asText())
                    .isEqualTo("already_in_team_invited_user");
        }

        @Test
        void ratelimited_and_429_are_tried_again() {
            slack.stubFor(post(urlEqualTo(ADMIN_INVITE)).inScenario("busy").whenScenarioStateIs(STARTED)
                    .willReturn(okJson("{\"ok\":false,\"error\":\"ratelimited\"}")).willSetStateTo("429"));
            slack.stubFor(post(urlEqualTo(ADMIN_INVITE)).inScenario("busy").whenScenarioStateIs("429")
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("ok"));
            slack.stubFor(post(urlEqualTo(ADMIN_INVITE)).inScenario("busy").whenScenarioStateIs("ok")
                    .willReturn(okJson("{\"ok\":true}")));
            JsonNode execution = signUp("vixen@example.org", "Vixen Reindeer");
            JsonNode invite = execution.path("results").path("InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(invite.path("attempts").asInt()).as("each answer is an attempt of the step's own").isEqualTo(3);
            slack.verify(3, postRequestedFor(urlEqualTo(ADMIN_INVITE)));
        }

        /** DESIGN.md's table for InviteSlack, answer by answer, in admin mode. */
        @ParameterizedTest
        @CsvSource({
                "'{\"ok\":false,\"error\":\"already_invited\"}', 200, SUCCEEDED, already_invited, 1",
                "'{\"ok\":false,\"error\":\"already_in_team\"}', 200, SUCCEEDED, already_in_team, 1",
                "'{\"ok\":false,\"error\":\"invalid_auth\"}', 200, FAILED, invalid_auth, 1",
                "'{\"ok\":false,\"error\":\"not_allowed_token_type\"}', 200, FAILED, not_allowed_token_type, 1",
                "'{\"ok\":false,\"error\":\"invalid_email\"}', 200, FAILED, invalid_email, 1",
                "'upstream trouble', 503, FAILED, ServerError, 4" })
        void each_answer_of_admin_users_invite_is_sorted_as_the_table_says(String body, int status, String outcome,
                String code, int attempts) {
            slack.stubFor(post(urlEqualTo(ADMIN_INVITE)).willReturn(aResponse().withStatus(status)
                    .withHeader("Content-Type", "application/json").withBody(body)));
            JsonNode invite = signUp("table-" + code.toLowerCase() + "@example.org", "Table Row")
                    .path("results").path("InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo(outcome);
            assertThat(outcome.equals("SUCCEEDED") ? invite.path("detail").asText() : invite.path("error").asText())
                    .isEqualTo(code);
            assertThat(invite.path("attempts").asInt()).isEqualTo(attempts);
        }

        @Test
        void a_token_without_the_scope_fails_at_once_saying_which_mode_would_work() {
            slack.stubFor(post(urlEqualTo(ADMIN_INVITE))
                    .willReturn(okJson("{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"admin.users:write\"}")));
            JsonNode invite = signUp("comet@example.org", "Comet Reindeer").path("results").path("InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("error").asText()).isEqualTo("missing_scope");
            assertThat(invite.path("attempts").asInt()).isEqualTo(1);
            assertThat(invite.path("cause").asText()).isEqualTo("InviteSlack: Slack refused the token for "
                    + "admin.users.invite (missing_scope): that method needs a user token with admin.users:write on an "
                    + "Enterprise Grid organisation. On any other workspace, use SLACK_INVITE_MODE=link with "
                    + "SLACK_INVITE_URL (the workspace's shared invite link) (attempt 1 of 4)");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Legacy extends Mode {
        @Override
        void configure(Map<String, String> settings) {
            settings.put("slack.admin-token", "xoxp-a-user-token-not-legacy");
        }

        @Test
        void the_start_up_log_says_legacy_mode_and_why() {
            assertThat(logged()).contains("Slack invites: legacy mode (SLACK_ADMIN_TOKEN is set without SLACK_TEAM_ID)");
        }

        @Test
        void a_token_of_todays_kind_is_refused_and_the_cause_names_the_modes_that_work() {
            slack.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE))
                    .willReturn(okJson("{\"ok\":false,\"error\":\"not_allowed_token_type\"}")));
            JsonNode invite = signUp("cupid@example.org", "Cupid Reindeer").path("results").path("InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("error").asText()).isEqualTo("not_allowed_token_type");
            assertThat(invite.path("cause").asText()).contains("takes only a legacy token")
                    .contains("SLACK_INVITE_MODE=admin").contains("SLACK_INVITE_MODE=link with SLACK_INVITE_URL");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Link extends Mode {
        static final String OPERATOR_TOKEN = "link-mode-operator-token-0123456789abcdef";

        @Override
        void configure(Map<String, String> settings) {
            settings.put("slack.invite-url", INVITE_LINK);
            settings.put("signup.admin-token", OPERATOR_TOKEN);
        }

        /** The dashboard's counts, as its script reads them. */
        JsonNode counts(RunningService from) {
            RunningService.Answer counts = from.send(HttpRequest.newBuilder(from.uri("/executions/counts"))
                    .header("Authorization", "Bearer " + OPERATOR_TOKEN).GET());
            assertThat(counts.status()).isEqualTo(200);
            return counts.json();
        }

        @Test
        void the_dashboard_says_how_far_the_link_is_from_slacks_limits_and_a_restart_keeps_its_date() throws Exception {
            JsonNode link = counts(service).path("inviteLink");
            Instant since = Instant.parse(link.path("since").asText());
            assertThat(since).isBefore(Instant.now());
            assertThat(link.path("days").asInt()).isZero();
            assertThat(link.path("maxJoins").asInt()).isEqualTo(400);
            assertThat(link.path("expiryDays").asInt()).isEqualTo(30);
            assertThat(link.path("check").asBoolean()).isFalse();
            signUp("comet@example.org", "Comet Reindeer");
            assertThat(counts(service).path("inviteLink").path("signups").asInt())
                    .isEqualTo(link.path("signups").asInt() + 1);

            // kept in the executions table under a hash of the link, never the link itself
            String table = service.sameTables().get("dynamodb.executions-table");
            List<Map<String, AttributeValue>> kept = Dynalite.client().scan(b -> b.tableName(table)
                    .filterExpression("begins_with(email, :k)")
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS("invite-link:")))).items();
            assertThat(kept).hasSize(1);
            assertThat(kept.get(0).toString()).doesNotContain("zt-2abc");
            assertThat(kept.get(0).get("firstUsedAt").s()).isEqualTo(link.path("since").asText());

            // as if the link had been handed out here for 26 days: a restart (or another instance) keeps that date,
            // and the dashboard asks the organisers to check the link before it expires
            String weeksAgo = Instant.now().minus(Duration.ofDays(26)).toString();
            Dynalite.client().updateItem(b -> b.tableName(table).key(Map.of("email", kept.get(0).get("email")))
                    .updateExpression("SET firstUsedAt = :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(weeksAgo))));
            Map<String, String> again = new java.util.HashMap<>(settings);
            again.putAll(service.sameTables());
            RunningService restarted = RunningService.start(again);
            Browsers.requireInstalled();
            WebDriver browser = Browsers.chromium(true, false);
            try {
                JsonNode old = counts(restarted).path("inviteLink");
                // said at its start too, for the organisers who read the log and not the dashboard
                assertThat(logged()).anyMatch(line -> line.startsWith("Check the Slack invite link (SLACK_INVITE_URL): "
                        + "it has been handed to " + old.path("signups").asInt() + " sign-up(s) since " + weeksAgo
                        + " (26 days)"));
                assertThat(old.path("since").asText()).isEqualTo(weeksAgo);
                assertThat(old.path("days").asInt()).isEqualTo(26);
                assertThat(old.path("check").asBoolean()).isTrue();
                assertThat(old.path("signups").asInt()).isGreaterThanOrEqualTo(1);

                browser.get(restarted.uri("/admin").toString());
                new WebDriverWait(browser, Duration.ofSeconds(15))
                        .until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(OPERATOR_TOKEN);
                browser.findElement(By.cssSelector("#login button")).click();
                WebElement notice = new WebDriverWait(browser, Duration.ofSeconds(15))
                        .until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-link")));
                assertThat(notice.getText()).startsWith("Check the Slack invite link: it has been handed to "
                        + old.path("signups").asInt() + " sign-up").contains("(26 days)")
                        .contains("Slack stops a link once 400 people have joined by it, and 30 days after it was made");
                assertThat(notice.getAttribute("class")).isEqualTo("check");

                // a new link starts afresh
                Map<String, String> newLink = new java.util.HashMap<>(again);
                newLink.put("slack.invite-url", INVITE_LINK + "-new");
                restarted.close();
                restarted = RunningService.start(newLink);
                JsonNode fresh = counts(restarted).path("inviteLink");
                assertThat(fresh.path("days").asInt()).isZero();
                assertThat(fresh.path("signups").asInt()).isZero();
            } finally {
                browser.quit();
                restarted.close();
            }
        }

        @Test
        void the_organisers_channel_is_told_once_to_check_the_link_as_it_nears_slacks_limits() throws Exception {
            String link = INVITE_LINK + "-nearing";
            String hook = "/services/T0NPOLE01/B0LINK01/link-check-hook";
            // the channel's webhook refuses at first: the look says so, and the next one tries again
            slack.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(404).withBody("no_service")));
            Map<String, String> withHook = new java.util.HashMap<>(settings);
            withHook.put("slack.invite-url", link);
            withHook.put("slack.notify-webhook-url", slack.baseUrl() + hook);
            withHook.put("slack.invite-link-check-interval", "200");
            // the link's item, under the hash of the link the README names
            Map<String, AttributeValue> key = Map.of("email", AttributeValue.fromS("invite-link:" + java.util.HexFormat
                    .of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(link.getBytes(StandardCharsets.UTF_8))).substring(0, 32)));
            String weeksAgo = Instant.now().minus(Duration.ofDays(26)).toString();
            String table;
            try (RunningService first = RunningService.start(withHook)) {
                // tables of its own, so that the count of sign-ups handed the link is known: none
                withHook.putAll(first.sameTables());
                table = first.sameTables().get("dynamodb.executions-table");
                // as if this link had been handed out for 26 days
                Dynalite.client().updateItem(b -> b.tableName(table).key(key).updateExpression("SET firstUsedAt = :t")
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(weeksAgo))));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logged().contains(
                        "Could not tell the organisers whether to check the Slack invite link (UpstreamRefused); the "
                                + "next look tries again"));
                slack.resetAll();
                slack.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(200).withBody("ok")));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> slack.verify(1,
                        postRequestedFor(urlEqualTo(hook)).withRequestBody(com.github.tomakehurst.wiremock.client
                                .WireMock.matchingJsonPath("$.blocks[0].text.text", com.github.tomakehurst.wiremock
                                        .client.WireMock.matching("Check the Slack invite link \\(SLACK_INVITE_URL\\): "
                                                + "it has been handed to 0 sign-up\\(s\\) since " + Pattern.quote(weeksAgo)
                                                + " \\(26 days\\)\\. Slack stops a link once 400 people have joined by "
                                                + "it, and 30 days after it was made unless .*")))));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Dynalite.client()
                        .getItem(b -> b.tableName(table).key(key)).item().containsKey("toldAt"));
            }
            // told once: a restart (or another instance) knows, and says so in its start's warning
            try (RunningService again = RunningService.start(withHook)) {
                assertThat(logged()).anyMatch(line -> line.startsWith("Check the Slack invite link (SLACK_INVITE_URL): it "
                        + "has been handed to 0 sign-up(s) since " + weeksAgo + " (26 days)")
                        && line.contains("(the organisers' channel was told on "));
                slack.verify(1, postRequestedFor(urlEqualTo(hook)));
            }
            assertThat(logged()).noneMatch(line -> line.contains("link-check-hook"));
        }

        /** Signs up on the page in the browser and waits for the outcome to say {@code words}. */
        WebElement signUpOnThePage(WebDriver browser, String name, String email, String words) {
            browser.get(service.uri("/").toString());
            browser.findElement(By.id("name")).sendKeys(name);
            browser.findElement(By.id("email")).sendKeys(email);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            WebElement outcome = browser.findElement(By.id("outcome"));
            new WebDriverWait(browser, Duration.ofSeconds(15))
                    .until(ExpectedConditions.textToBePresentInElement(outcome, words));
            return outcome;
        }

        @Test
        void the_start_up_log_says_link_mode_and_why_and_does_not_show_the_link() {
            assertThat(logged()).contains("Slack invites: link mode (SLACK_INVITE_URL is set without SLACK_ADMIN_TOKEN)");
            assertThat(logged()).anyMatch(line -> line.startsWith("The Slack invite link has been handed to 0 sign-up(s) "
                    + "here since "));
            assertThat(lede()).isEqualTo("Leave your name and e-mail: you will get the link to join our Slack workspace "
                    + "here, and we will keep you posted.");
            assertThat(button()).isEqualTo("Get my invite link");
            assertThat(logged()).noneMatch(line -> line.contains("zt-2abc"));
        }

        @Test
        void the_person_is_handed_the_link_on_the_page_and_slack_is_not_called() {
            JsonNode execution = signUp("blitzen@example.org", "Blitzen Reindeer");
            JsonNode invite = execution.path("results").path("InviteSlack");
            assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(invite.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(invite.path("detail").asText()).isEqualTo("link shown");
            assertThat(invite.path("inviteUrl").asText()).isEqualTo(INVITE_LINK);
            slack.verify(0, anyRequestedFor(urlPathMatching("/api/(users|admin)\\..*")));

            String page = service.send(HttpRequest.newBuilder(service.uri("/signup/"
                    + execution.path("executionId").asText())).header("Accept", "text/html").GET()).body();
            assertThat(page).contains("You are in! Join our Slack workspace with this invite link: <a href=\""
                    + INVITE_LINK + "\">join.slack.com/t/northpole/shared_invite/zt-2abc-Def_456</a>.");
        }

        @Test
        void in_a_browser_the_visitors_page_ends_with_the_link_to_follow() throws Exception {
            Browsers.requireInstalled();
            WebDriver browser = Browsers.chromium(true, false);
            try {
                WebElement outcome = signUpOnThePage(browser, "Dancer Reindeer", "dancer@example.org",
                        "You are in! Join our Slack workspace with this invite link:");
                assertThat(outcome.findElement(By.tagName("a")).getAttribute("href")).isEqualTo(INVITE_LINK);
                // once every step has ended, the link is the last word
                new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.textToBe(By.id("outcome"),
                        "You are in! Join our Slack workspace with this invite link: "
                                + "join.slack.com/t/northpole/shared_invite/zt-2abc-Def_456."));
            } finally {
                browser.quit();
            }
        }

        /** ActiveCampaign fails this sign-up: a 500 at once, then, after 3 s, a refusal (the step FAILED). */
        void activeCampaignFailsAfterARetry() {
            slack.stubFor(post(urlEqualTo(Upstreams.AC_SYNC)).inScenario("mailing list down")
                    .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(500))
                    .willSetStateTo("retrying"));
            slack.stubFor(post(urlEqualTo(Upstreams.AC_SYNC)).inScenario("mailing list down")
                    .whenScenarioStateIs("retrying").willReturn(aResponse().withStatus(422)
                            .withBody("{\"errors\":[{\"title\":\"refused\"}]}").withFixedDelay(3000)));
        }

        static final String LINK_WORDS = "You are in! Join our Slack workspace with this invite link: <a href=\""
                + INVITE_LINK + "\">join.slack.com/t/northpole/shared_invite/zt-2abc-Def_456</a>.";

        @Test
        void a_visitor_whose_other_step_fails_is_still_handed_the_link_while_it_is_retried_and_after() {
            // the link is the only way in: a failing mailing list, or one being retried, must not keep it from them
            activeCampaignFailsAfterARetry();
            String status = service.postJson("/signup", "{\"email\":\"vixen@example.org\",\"name\":\"Vixen Reindeer\"}")
                    .header("Location");
            HttpRequest.Builder page = HttpRequest.newBuilder(service.uri(status)).header("Accept", "text/html").GET();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> service.send(page).body().contains("Still trying"));
            assertThat(service.send(page).body()).contains(LINK_WORDS + " Still trying: one of the services is slow "
                    + "to answer. You can leave this page; we will keep going.");

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> service.get(status).json().path("status").asText().equals("FAILED"));
            assertThat(service.get(status).json().path("results").path("RecordAC").path("status").asText())
                    .isEqualTo("FAILED");
            assertThat(service.send(page).body()).contains(LINK_WORDS + " Sorry, something went wrong while adding "
                    + "you to our mailing list. Please try again later, or write to us quoting "
                    + status.substring("/signup/".length()) + ".");
        }

        @Test
        void in_a_browser_a_visitor_whose_other_step_fails_is_still_handed_the_link() throws Exception {
            activeCampaignFailsAfterARetry();
            Browsers.requireInstalled();
            WebDriver browser = Browsers.chromium(true, false);
            try {
                String linkText = "with this invite link: join.slack.com/t/northpole/shared_invite/zt-2abc-Def_456.";
                WebElement outcome = signUpOnThePage(browser, "Cupid Reindeer", "cupid@example.org", "Still trying");
                new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.and(
                        ExpectedConditions.textToBePresentInElement(outcome, "Still trying"),
                        ExpectedConditions.textToBePresentInElement(outcome, linkText)));
                assertThat(outcome.findElement(By.tagName("a")).getAttribute("href")).isEqualTo(INVITE_LINK);

                new WebDriverWait(browser, Duration.ofSeconds(15))
                        .until(ExpectedConditions.textToBePresentInElement(outcome, "Sorry"));
                assertThat(outcome.getText()).startsWith("You are in! Join our Slack workspace " + linkText
                        + " Sorry, something went wrong while adding you to our mailing list. Please try again later");
                assertThat(outcome.findElement(By.tagName("a")).getAttribute("href")).isEqualTo(INVITE_LINK);
            } finally {
                browser.quit();
            }
        }

        @Test
        void a_repeat_sign_up_is_handed_the_link_again_and_nothing_of_the_stored_one() throws Exception {
            // someone who closed the page before following the link has no e-mail to look for: without the link
            // again, "already signed up" left them no way in. The link is what any sign-up is handed.
            JsonNode first = signUp("donner@example.org", "Donner Reindeer");
            RunningService.Answer again = service.postJson("/signup?wait=true", "{\"email\":\"donner@example.org\"}");
            assertThat(again.json().path("status").asText()).isEqualTo("ALREADY_SIGNED_UP");
            assertThat(again.json().path("inviteUrl").asText()).isEqualTo(INVITE_LINK);
            assertThat(again.body()).doesNotContain(first.path("executionId").asText(), "Donner", "results");

            // only the post's answer carries it, past the rate limit and the CAPTCHA: no page anyone can fetch does, so
            // the page a form posted without JavaScript lands on (a fixed address) says only that it signed up
            RunningService.Answer formPost = service.postForm("/signup", "email=donner%40example.org&name=Someone+Else",
                    "text/html");
            String page = service.send(HttpRequest.newBuilder(service.uri(formPost.header("Location")))
                    .header("Accept", "text/html").GET()).body();
            assertThat(page).contains("This address has already signed up.")
                    .doesNotContain("zt-2abc", "inbox", "Donner", first.path("executionId").asText());
            assertThat(service.send(HttpRequest.newBuilder(service.uri("/")).GET()).body()).doesNotContain("zt-2abc");

            Browsers.requireInstalled();
            WebDriver browser = Browsers.chromium(true, false);
            try {
                WebElement outcome = signUpOnThePage(browser, "Someone Else", "donner@example.org",
                        "already signed up");
                assertThat(outcome.getText()).isEqualTo("This address has already signed up. Join our Slack workspace "
                        + "with this invite link: join.slack.com/t/northpole/shared_invite/zt-2abc-Def_456.");
                assertThat(outcome.findElement(By.tagName("a")).getAttribute("href")).isEqualTo(INVITE_LINK);
            } finally {
                browser.quit();
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Off extends Mode {
        @Override
        void configure(Map<String, String> settings) {
        }

        @Test
        void with_neither_a_token_nor_a_link_the_log_says_invites_are_off_and_the_step_is_skipped() {
            assertThat(logged()).contains(
                    "Slack invites are off (none of SLACK_ADMIN_TOKEN, SLACK_INVITE_URL is set): InviteSlack is SKIPPED");
            // a newsletter's form: no invite promised
            assertThat(lede()).isEqualTo("Leave your name and e-mail, and we will keep you posted.");
            assertThat(button()).isEqualTo("Sign me up");
            JsonNode invite = signUp("rudolph@example.org", "Rudolph Reindeer").path("results").path("InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("SKIPPED");
            assertThat(invite.path("error").asText()).isEqualTo("NotConfigured");
        }

        @Test
        void a_repeat_sign_up_is_told_it_signed_up_and_not_to_look_for_an_invite_that_never_comes() {
            signUp("prancer@example.org", "Prancer Reindeer");
            RunningService.Answer formPost = service.postForm("/signup", "email=prancer%40example.org&name=P+R",
                    "text/html");
            String page = service.send(HttpRequest.newBuilder(service.uri(formPost.header("Location")))
                    .header("Accept", "text/html").GET()).body();
            assertThat(page).contains("This address has already signed up").doesNotContain("inbox", "Prancer");
        }
    }
}
