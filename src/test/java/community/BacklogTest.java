package community;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * The backlog of executions waiting their turn is bounded: past {@code signup.max-waiting}, a new sign-up gets a
 * {@code 503} with {@code Retry-After} and nothing is stored; the ones already accepted still finish.
 */
class BacklogTest {

    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        upstreams.start();
        Upstreams.answerNormally(upstreams);
        // the first execution keeps the only running place while the next ones arrive
        Upstreams.slackAnswersAfter(upstreams, 1500);
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-backlog", "ac-backlog");
        settings.put("signup.max-running", "1");
        settings.put("signup.max-waiting", "1");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        upstreams.stop();
    }

    @Test
    void past_the_waiting_limit_a_sign_up_gets_503_and_nothing_is_stored() {
        Answer running = service.postJson("/signup", "{\"email\":\"first@example.org\",\"name\":\"Fir St\"}");
        Answer waiting = service.postJson("/signup", "{\"email\":\"second@example.org\",\"name\":\"Sec Ond\"}");
        int stored = service.executionItemCount();

        Answer refused = service.postJson("/signup", "{\"email\":\"third@example.org\",\"name\":\"Thi Rd\"}");

        assertThat(running.status()).isEqualTo(202);
        assertThat(waiting.status()).isEqualTo(202);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        assertThat(refused.json().path("error").asText())
                .isEqualTo("too many sign-ups are waiting to be processed; please try again in a minute");
        assertThat(service.executionItemCount()).as("nothing stored for the refused one").isEqualTo(stored);

        for (Answer accepted : new Answer[] {running, waiting}) {
            String id = accepted.json().path("executionId").asText();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    service.get("/signup/" + id).json().path("status").asText()).isEqualTo("SUCCEEDED"));
        }
        assertThat(service.member("third@example.org")).isEmpty();
        assertThat(service.postJson("/signup", "{\"email\":\"third@example.org\",\"name\":\"Thi Rd\"}").status())
                .as("room again once the backlog is done").isEqualTo(202);
    }
}
