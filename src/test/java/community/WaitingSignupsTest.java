package community;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * Sign-ups that wait for their execution ({@code ?wait=true}) hold no thread of the HTTP server while they wait: with
 * more of them waiting than the server has worker threads, the health check, the pages and other sign-ups are
 * still answered at once.
 */
class WaitingSignupsTest {

    static final int WORKER_THREADS = 4;
    static final int WAITING = 2 * WORKER_THREADS;

    final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    final ExecutorService clients = Executors.newFixedThreadPool(WAITING);
    RunningService service;

    @BeforeEach
    void start() {
        upstreams.start();
        Upstreams.answerNormally(upstreams);
        Upstreams.slackAnswersAfter(upstreams, 4000);
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-waiting", "ac-waiting");
        settings.put("signup.http.worker-threads", String.valueOf(WORKER_THREADS));
        settings.put("slack.timeout", "10000");
        service = RunningService.start(settings);
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        service.close();
        upstreams.stop();
    }

    @Test
    void more_waiting_sign_ups_than_worker_threads_leave_health_pages_and_sign_ups_answered() {
        List<CompletableFuture<Answer>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            String json = "{\"email\":\"waiting" + i + "@example.org\",\"name\":\"Wai Ting\"}";
            waiting.add(CompletableFuture.supplyAsync(() -> service.postJson("/signup?wait=true", json), clients));
        }
        // every one of them is past the server's threads: its execution is calling Slack, which answers in 4 s
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                upstreams.findAll(postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE)))).hasSize(WAITING));

        Answer health = service.get("/observe/health");
        Answer form = service.get("/");
        Answer accepted = service.postJson("/signup", "{\"email\":\"meanwhile@example.org\",\"name\":\"Mean While\"}");
        Answer status = service.get("/signup/" + accepted.json().path("executionId").asText());

        assertThat(waiting.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList())
                .as("answered already, while Slack was still to answer them").isEmpty();
        assertThat(health.status()).isEqualTo(200);
        assertThat(form.status()).isEqualTo(200);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(status.json().path("status").asText()).isEqualTo("RUNNING");
        for (CompletableFuture<Answer> each : waiting) {
            Answer done = each.join();
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.json().path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.json().path("results").path("InviteSlack").path("status").asText())
                    .isEqualTo("SUCCEEDED");
        }
    }
}
