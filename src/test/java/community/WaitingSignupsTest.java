package community;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * Each sign-up that waits for its execution ({@code ?wait=true}) holds a worker thread of the HTTP server (Camel
 * 4.18's platform-http keeps it until the route ends), so at most {@code signup.max-waits} (two thirds of the
 * workers) wait at once: with more of them asking than the server has worker threads, those past the limit are
 * answered 202 at once, and the health check, the pages and other sign-ups are still answered.
 */
class WaitingSignupsTest {

    static final int WORKER_THREADS = 4;
    static final int MAX_WAITS = WORKER_THREADS * 2 / 3;
    static final int WAITING = 2 * WORKER_THREADS;

    final WireMockServer activeCampaign = new WireMockServer(options().dynamicPort());
    final ExecutorService clients = Executors.newFixedThreadPool(WAITING);
    final ExecutorService slackThreads = Executors.newCachedThreadPool();
    /** Slack answers the invites it holds once the test lets it. */
    final CountDownLatch slackMayAnswer = new CountDownLatch(1);
    final AtomicInteger slackHolds = new AtomicInteger();
    HttpServer slack;
    RunningService service;

    @BeforeEach
    void start() throws IOException {
        activeCampaign.start();
        Upstreams.answerNormally(activeCampaign);
        slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.setExecutor(slackThreads);
        slack.createContext("/api/users.admin.invite", exchange -> {
            exchange.getRequestBody().readAllBytes();
            slackHolds.incrementAndGet();
            try {
                slackMayAnswer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slack.start();
    }

    void startService(Map<String, String> more) {
        Map<String, String> settings = Upstreams.settings(activeCampaign, "xoxs-waiting", "ac-waiting");
        settings.put("slack.api-url", "http://127.0.0.1:" + slack.getAddress().getPort() + "/api");
        settings.put("slack.timeout", "30000");
        settings.put("signup.http.worker-threads", String.valueOf(WORKER_THREADS));
        settings.putAll(more);
        service = RunningService.start(settings);
    }

    @AfterEach
    void stop() {
        slackMayAnswer.countDown();
        clients.shutdownNow();
        if (service != null) {
            service.close();
        }
        slack.stop(0);
        slackThreads.shutdownNow();
        activeCampaign.stop();
    }

    @Test
    void more_waiting_sign_ups_than_worker_threads_leave_health_pages_and_sign_ups_answered() {
        startService(Map.of());
        List<CompletableFuture<Answer>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            String json = "{\"email\":\"waiting" + i + "@example.org\",\"name\":\"Wai Ting\"}";
            waiting.add(CompletableFuture.supplyAsync(() -> service.postJson("/signup?wait=true", json), clients));
        }
        // every one of them is stored and its execution is calling Slack, which holds the call; those past the
        // limit of waits were answered at once
        await().atMost(Duration.ofSeconds(20)).until(() -> slackHolds.get() == WAITING
                && waiting.stream().filter(CompletableFuture::isDone).count() == WAITING - MAX_WAITS);

        Answer health = service.get("/observe/health");
        Answer form = service.get("/");
        Answer accepted = service.postJson("/signup", "{\"email\":\"meanwhile@example.org\",\"name\":\"Mean While\"}");
        Answer status = service.get("/signup/" + accepted.json().path("executionId").asText());

        List<Answer> answeredAtOnce = waiting.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
                .toList();
        assertThat(answeredAtOnce).as("past the limit of waits: 202, to follow").hasSize(WAITING - MAX_WAITS)
                .allMatch(a -> a.status() == 202 && a.json().path("status").asText().equals("RUNNING"));
        assertThat(health.status()).isEqualTo(200);
        assertThat(form.status()).isEqualTo(200);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(status.json().path("status").asText()).isEqualTo("RUNNING");

        slackMayAnswer.countDown();
        List<Answer> waited = waiting.stream().filter(each -> !answeredAtOnce.contains(each.getNow(null)))
                .map(CompletableFuture::join).toList();
        assertThat(waited).hasSize(MAX_WAITS);
        for (Answer done : waited) {
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.json().path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.json().path("results").path("InviteSlack").path("status").asText())
                    .isEqualTo("SUCCEEDED");
        }
        for (Answer followed : answeredAtOnce) {
            String statusUrl = followed.json().path("statusUrl").asText();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> service.get(statusUrl).json().path("status").asText().equals("SUCCEEDED"));
        }
    }

    @Test
    void sign_ups_at_the_door_past_the_places_to_wait_get_503_at_once_and_health_is_answered() {
        // one execution runs (held by Slack), one waits in the backlog; the next ones wait at the door for a place
        startService(Map.of("signup.max-running", "1", "signup.max-waiting", "1", "signup.admission-timeout", "20s"));
        Answer running = service.postJson("/signup", "{\"email\":\"door0@example.org\",\"name\":\"Do Or\"}");
        Answer backlog = service.postJson("/signup", "{\"email\":\"door1@example.org\",\"name\":\"Do Or\"}");
        assertThat(running.status()).isEqualTo(202);
        assertThat(backlog.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> slackHolds.get() == 1);

        List<CompletableFuture<Answer>> atTheDoor = new ArrayList<>();
        for (int i = 0; i < MAX_WAITS; i++) {
            String json = "{\"email\":\"door-wait" + i + "@example.org\",\"name\":\"Do Or\"}";
            atTheDoor.add(CompletableFuture.supplyAsync(() -> service.postJson("/signup", json), clients));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> service.get("/observe/metrics").body()
                .contains("signup_admission_waits_total " + MAX_WAITS + ".0"));
        int stored = service.executionItemCount();

        Answer refused = service.postJson("/signup", "{\"email\":\"door-full@example.org\",\"name\":\"Do Or\"}");
        Answer health = service.get("/observe/health");

        assertThat(refused.status()).as("no place to wait: refused at once").isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        assertThat(service.executionItemCount()).as("nothing stored for the refused one").isEqualTo(stored);
        assertThat(health.status()).isEqualTo(200);
        assertThat(atTheDoor).as("still at the door").noneMatch(CompletableFuture::isDone);

        slackMayAnswer.countDown();
        for (CompletableFuture<Answer> waited : atTheDoor) {
            assertThat(waited.join().status()).as("let in once the backlog moved").isEqualTo(202);
        }
    }
}
