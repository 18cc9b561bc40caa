package community;

import static org.assertj.core.api.Assertions.assertThat;

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
        service = RunningService.start(RunningService.quickSettings());
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
        assertThat(results.path("InviteSlack").path("cause").asText()).isEqualTo("set SLACK_ADMIN_TOKEN to send invites");
        assertThat(results.path("RecordAC").path("status").asText()).isEqualTo("SKIPPED");
        assertThat(results.path("RecordAC").path("error").asText()).isEqualTo("NotConfigured");
        assertThat(service.member("lonely@example.org").get("first_name").s()).isEqualTo("Lone");
    }

    @Test
    void without_an_operator_token_configured_the_operator_api_is_off_and_says_so() {
        RunningService.Answer answer = service.get("/executions");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().path("error").asText())
                .isEqualTo("the operator API is off: set SIGNUP_ADMIN_TOKEN to turn it on");
    }
}
