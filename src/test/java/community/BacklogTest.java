package community;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * The backlog of executions waiting their turn (in memory) is bounded by {@code signup.max-waiting}. Past it, a new
 * sign-up waits at the door for a place, first come first served, and is stored once one frees: an overload
 * slows the answers down instead of failing them. One that waits longer than {@code signup.admission-timeout}
 * gets a {@code 503} with {@code Retry-After}, and nothing is stored.
 */
class BacklogTest {

    final WireMockServer upstreams = new WireMockServer(options().dynamicPort().containerThreads(64));
    RunningService service;

    @BeforeEach
    void startUpstreams() {
        upstreams.start();
        Upstreams.answerNormally(upstreams);
        // the first execution keeps the only running place while the next ones arrive
        Upstreams.slackAnswersAfter(upstreams, 1500);
    }

    @AfterEach
    void stop() {
        service.close();
        upstreams.stop();
    }

    void startService(String admissionTimeout) {
        startService(admissionTimeout, 1, 1);
    }

    void startService(String admissionTimeout, int maxRunning, int maxWaiting) {
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-backlog", "ac-backlog");
        settings.put("signup.max-running", String.valueOf(maxRunning));
        settings.put("signup.max-waiting", String.valueOf(maxWaiting));
        settings.put("signup.admission-timeout", admissionTimeout);
        // Slack's slow answers here are answers, not time-outs
        settings.put("slack.timeout", "10000");
        service = RunningService.start(settings);
    }

    @Test
    void past_the_waiting_limit_a_sign_up_waits_for_a_place_and_is_then_accepted() {
        startService("10s");
        Answer running = service.postJson("/signup", "{\"email\":\"first@example.org\",\"name\":\"Fir St\"}");
        Answer waiting = service.postJson("/signup", "{\"email\":\"second@example.org\",\"name\":\"Sec Ond\"}");

        Answer third = service.postJson("/signup", "{\"email\":\"third@example.org\",\"name\":\"Thi Rd\"}");

        assertThat(running.status()).isEqualTo(202);
        assertThat(waiting.status()).isEqualTo(202);
        assertThat(third.status()).isEqualTo(202);
        // its place was the second's, freed when the first finished and the second started
        assertThat(service.get("/signup/" + running.json().path("executionId").asText()).json().path("status")
                .asText()).isEqualTo("SUCCEEDED");
        for (Answer accepted : new Answer[] {waiting, third}) {
            String id = accepted.json().path("executionId").asText();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    service.get("/signup/" + id).json().path("status").asText()).isEqualTo("SUCCEEDED"));
        }
        assertThat(service.get("/observe/metrics").body()).containsPattern("signup_admission_waits_total 1\\.0");
    }

    @Test
    void a_sign_up_that_waits_past_the_admission_timeout_gets_503_and_nothing_is_stored() {
        startService("200ms");
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

    @Test
    void a_place_opens_at_the_door_as_soon_as_a_waiting_execution_starts_not_when_the_backlog_is_empty() {
        // one runs, two wait: when the first ends and the second starts, the third still waits, and the one at the
        // door takes the place the second left (the door stayed shut until the backlog was empty: a backlog
        // longer than the admission timeout turned everyone at the door away)
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE)).withRequestBody(containing("second"))
                .willReturn(okJson("{\"ok\":true}").withFixedDelay(6000)));
        startService("20s", 1, 2);
        Answer first = service.postJson("/signup", "{\"email\":\"first@example.org\",\"name\":\"Fir St\"}");
        Answer second = service.postJson("/signup", "{\"email\":\"second@example.org\",\"name\":\"Sec Ond\"}");
        Answer third = service.postJson("/signup", "{\"email\":\"third@example.org\",\"name\":\"Thi Rd\"}");

        Answer atTheDoor = service.postJson("/signup", "{\"email\":\"door@example.org\",\"name\":\"Do Or\"}");

        String secondId = second.json().path("executionId").asText();
        assertThat(service.get("/signup/" + secondId).json().path("status").asText())
                .as("the second still runs when the one at the door is let in").isEqualTo("RUNNING");
        assertThat(atTheDoor.status()).isEqualTo(202);
        assertThat(service.get("/observe/metrics").body()).contains("signup_admission_waits_total 1.0");
        for (Answer accepted : List.of(first, second, third, atTheDoor)) {
            String id = accepted.json().path("executionId").asText();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    service.get("/signup/" + id).json().path("status").asText()).isEqualTo("SUCCEEDED"));
        }
    }

    @Test
    void a_crowd_at_the_door_is_let_in_by_a_few_threads_not_one_each() {
        // the first 30 keep the running places long enough for the next 60 to arrive; the others answer at once
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE)).willReturn(okJson("{\"ok\":true}")));
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE)).withRequestBody(containing("running"))
                .willReturn(okJson("{\"ok\":true}").withFixedDelay(6000)));
        startService("60s", 30, 30);

        // 30 run, then 30 wait (each answered 202 once stored), then 30 at the door: when the first 30 end
        // together, the waiting ones start together and 30 places open at once
        List<Answer> running = service.postAllAtOnce("/signup", RunningService.signups("running", 30));
        List<Answer> waiting = service.postAllAtOnce("/signup", RunningService.signups("waiting", 30));
        assertThat(service.get("/observe/metrics").body()).as("none ended yet: they all still hold their places")
                .doesNotContain("signup_executions_total{");
        List<Answer> atTheDoor = service.postAllAtOnce("/signup", RunningService.signups("door", 30));

        for (List<Answer> wave : List.of(running, waiting, atTheDoor)) {
            assertThat(wave).allSatisfy(answer -> assertThat(answer.status()).as(answer.body()).isEqualTo(202));
        }
        assertThat(service.get("/observe/metrics").body()).as("each of the door's crowd waited there")
                .contains("signup_admission_waits_total 30.0");
        // the admissions' threads stay alive once started (a cached pool keeps its idle ones for a minute); on
        // Java 21 and later Camel makes them virtual, and none of them is a platform thread (nor listed here)
        long admissionThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().contains("signup-admissions")).count();
        if (Boolean.getBoolean("camel.threads.virtual.enabled")) {
            assertThat(admissionThreads).isZero();
        } else {
            assertThat(admissionThreads).isBetween(1L, 16L);
        }
    }
}
