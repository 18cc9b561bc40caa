package community;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;

/** Without Slack or ActiveCampaign credentials the service still starts; those steps are SKIPPED. */
class UnconfiguredStepsTest {

    static RunningService service;

    @BeforeAll
    static void start() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.rate-limit", "3");
        settings.put("signup.trusted-proxies", "127.0.0.1");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void steps_without_credentials_are_skipped_and_the_execution_succeeds() {
        JsonNode execution = service.postJson("/signup?wait=true",
                "{\"email\":\"lonely@example.org\",\"name\":\"Lone Ly\"}").json();

        assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode results = execution.path("results");
        assertThat(results.path("RecordDB").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(results.path("InviteSlack").path("status").asText()).isEqualTo("SKIPPED");
        assertThat(results.path("InviteSlack").path("error").asText()).isEqualTo("NotConfigured");
        assertThat(results.path("InviteSlack").path("cause").asText()).isEqualTo("set SLACK_INVITE_URL or SLACK_ADMIN_TOKEN to send invites");
        assertThat(results.path("RecordAC").path("status").asText()).isEqualTo("SKIPPED");
        assertThat(results.path("RecordAC").path("error").asText()).isEqualTo("NotConfigured");
        assertThat(service.member("lonely@example.org").get("first_name").s()).isEqualTo("Lone");
        // and the form promises neither an invite nor news
        assertThat(service.get("/").body()).contains("<p class=\"lede\">Leave your name and e-mail to sign up.</p>");
        // nor does the visitor's page show steps that were never going to run: the document and the dashboard do
        String page = service.send(java.net.http.HttpRequest.newBuilder(service.uri("/signup/"
                + execution.path("executionId").asText())).header("Accept", "text/html")).body();
        assertThat(page).contains("Saving your details").doesNotContain("mailing list", "Slack invite",
                "Telling the organisers", "skipped");
        assertThat(service.get("/").body()).contains("&quot;name&quot;:&quot;RecordAC&quot;")
                .contains("&quot;shown&quot;:false");
    }

    @Test
    void without_an_operator_token_configured_the_operator_api_is_off_and_says_so() {
        RunningService.Answer answer = service.get("/executions");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().path("error").asText())
                .isEqualTo("the operator API is off: set SIGNUP_ADMIN_TOKEN to turn it on");
    }

    @Test
    void a_client_over_the_rate_limit_gets_429_with_retry_after_and_nothing_is_stored() {
        // This class's service allows 3 sign-ups a minute per address, and trusts 127.0.0.1 as a proxy: each
        // X-Forwarded-For address is a client of its own.
        int stored = service.executionItemCount();
        for (int i = 0; i < 3; i++) {
            assertThat(postFrom("203.0.113.7", "burst" + i + "@example.org").status()).isIn(200, 202);
        }
        RunningService.Answer answer = postFrom("203.0.113.7", "burst3@example.org");
        assertThat(answer.status()).isEqualTo(429);
        assertThat(Integer.parseInt(answer.header("Retry-After"))).isBetween(1, 20);
        assertThat(answer.json().path("error").asText()).startsWith("too many sign-ups from your address");
        assertThat(service.executionItemCount() - stored).isEqualTo(3);
        assertThat(postFrom("198.51.100.9", "neighbour@example.org").status()).as("another client").isEqualTo(202);
        assertThat(service.get("/signup/00000000-0000-4000-8000-000000000000").status())
                .as("reading is not limited").isEqualTo(404);
    }

    @Test
    void a_query_parameter_or_form_field_named_x_forwarded_for_does_not_choose_the_address_counted() {
        for (int i = 0; i < 3; i++) {
            assertThat(postFrom("203.0.113.20", "spoof" + i + "@example.org").status()).isEqualTo(202);
        }
        int stored = service.executionItemCount();
        RunningService.Answer byQuery = service.send(java.net.http.HttpRequest.newBuilder(
                service.uri("/signup?X-Forwarded-For=198.51.100.77")).header("Content-Type", "application/json")
                .header("X-Forwarded-For", "203.0.113.20")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\":\"spoof3@example.org\"}")));
        RunningService.Answer byForm = service.send(java.net.http.HttpRequest.newBuilder(service.uri("/signup"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", "203.0.113.20")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "email=spoof4%40example.org&X-Forwarded-For=198.51.100.78")));

        assertThat(byQuery.status()).isEqualTo(429);
        assertThat(byForm.status()).isEqualTo(429);
        assertThat(service.executionItemCount()).isEqualTo(stored);
    }

    @Test
    void an_address_the_client_wrote_before_the_proxys_own_x_forwarded_for_line_is_not_the_one_counted() {
        // a proxy that adds a line of its own (HAProxy's option forwardfor) after the one the client sent
        for (int i = 0; i < 3; i++) {
            assertThat(postThroughTwoLines("198.51.100." + (100 + i), "203.0.113.30", "line" + i + "@example.org")
                    .status()).isEqualTo(202);
        }
        RunningService.Answer answer = postThroughTwoLines("198.51.100.103", "203.0.113.30", "line3@example.org");
        assertThat(answer.status()).isEqualTo(429);
    }

    static RunningService.Answer postThroughTwoLines(String written, String seen, String email) {
        return service.send(java.net.http.HttpRequest.newBuilder(service.uri("/signup"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", written)
                .header("X-Forwarded-For", seen)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}")));
    }

    @Test
    void an_ipv6_client_is_counted_by_its_64_bit_prefix() {
        assertThat(postFrom("2001:db8:1:2::1", "six0@example.org").status()).isEqualTo(202);
        assertThat(postFrom("2001:db8:1:2::2", "six1@example.org").status()).isEqualTo(202);
        assertThat(postFrom("2001:db8:1:2:ffff:ffff:ffff:3", "six2@example.org").status()).isEqualTo(202);

        assertThat(postFrom("2001:DB8:1:2::4", "six3@example.org").status()).as("the same /64").isEqualTo(429);
        assertThat(postFrom("2001:db8:1:3::1", "six4@example.org").status()).as("the next /64").isEqualTo(202);
    }

    static RunningService.Answer postFrom(String client, String email) {
        return service.send(java.net.http.HttpRequest.newBuilder(service.uri("/signup"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", client)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}")));
    }

    @Test
    void the_icon_browsers_ask_for_is_served() {
        RunningService.Answer icon = service.get("/favicon.ico");
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.header("Content-Type")).startsWith("image/svg+xml");
        assertThat(icon.body()).startsWith("<svg").contains("fill=\"#4a154b\"");
    }

    @Test
    void the_badge_shows_how_many_signed_up() {
        RunningService.Answer badge = service.get("/badge.svg");
        assertThat(badge.status()).isEqualTo(200);
        assertThat(badge.header("Content-Type")).startsWith("image/svg+xml");
        assertThat(badge.header("Cache-Control")).isEqualTo("public, max-age=60");
        assertThat(badge.body()).startsWith("<svg").containsPattern("<title>\\d+ members</title>");
    }
}
