package community;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * The HTTP requests the service holds at once are bounded ({@code signup.http.max-requests}): past the limit a
 * request is refused at once with {@code 503} and {@code Retry-After}, nothing stored, while the health check
 * still answers; once the held requests are answered, sign-ups are taken again.
 */
class RequestLimitTest {

    final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    final HttpClient client = HttpClient.newHttpClient();
    RunningService service;

    @BeforeEach
    void start() {
        upstreams.start();
        Upstreams.answerNormally(upstreams);
        // the two held sign-ups stay in flight, waiting for Slack, while the third arrives
        Upstreams.slackAnswersAfter(upstreams, 4000);
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-limit", "ac-limit");
        settings.put("signup.http.max-requests", "2");
        service = RunningService.start(settings);
    }

    @AfterEach
    void stop() {
        service.close();
        upstreams.stop();
    }

    @Test
    void past_the_limit_a_request_gets_503_at_once_and_nothing_is_stored() {
        List<CompletableFuture<HttpResponse<String>>> held = List.of(hold("held-1@example.org"),
                hold("held-2@example.org"));
        await().atMost(Duration.ofSeconds(10)).until(() -> service.executionItemCount() == 2);

        Answer refused = service.postJson("/signup", "{\"email\":\"third@example.org\",\"name\":\"Thi Rd\"}");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(refused.json().path("error").asText())
                .isEqualTo("the service is busy; please try again in a few seconds");
        assertThat(service.get("/observe/health/ready").status()).as("the health check is not counted")
                .isEqualTo(200);
        assertThat(service.executionItemCount()).as("nothing stored for the refused one").isEqualTo(2);
        assertThat(held.stream().allMatch(answer -> !answer.isDone())).as("the held ones still wait").isTrue();

        for (CompletableFuture<HttpResponse<String>> answer : held) {
            assertThat(answer.join().statusCode()).isEqualTo(200);
        }
        assertThat(service.member("third@example.org")).isEmpty();
        assertThat(service.postJson("/signup", "{\"email\":\"third@example.org\",\"name\":\"Thi Rd\"}").status())
                .as("taken again once the held requests are answered").isEqualTo(202);
        assertThat(service.get("/observe/metrics").body())
                .containsPattern("signup_requests_rejected_total\\{reason=\"overloaded\",?\\} 1\\.0");
    }

    private CompletableFuture<HttpResponse<String>> hold(String email) {
        return client.sendAsync(HttpRequest.newBuilder(service.uri("/signup?wait=true"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"name\":\"Hel D\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
