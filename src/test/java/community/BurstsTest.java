package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import community.testing.Dynalite;
import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * A burst of sign-ups: at most {@code signup.max-running} executions call
 * out at a time (the rest wait their turn instead of queueing for connections until they time out), and the
 * outcomes that finish together share their DynamoDB writes (group commit).
 */
class BurstsTest {

    static final int MAX_RUNNING = 4;
    static final int SLACK_MILLIS = 300;
    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    /** DynamoDB behind a proxy that takes its time over batch writes, as a busy DynamoDB would. */
    static final WireMockServer dynamoDb = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        Map<String, String> settings = Upstreams.settingsWithStoreProxy(upstreams, dynamoDb, "xoxs-burst",
                "ac-burst");
        dynamoDb.stubFor(any(anyUrl()).atPriority(1)
                .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.BatchWriteItem"))
                .willReturn(aResponse().proxiedFrom(Dynalite.endpoint()).withFixedDelay(200)));
        Upstreams.slackAnswersAfter(upstreams, SLACK_MILLIS);
        settings.put("signup.max-running", String.valueOf(MAX_RUNNING));
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        upstreams.stop();
        dynamoDb.stop();
    }

    @Test
    void a_burst_runs_a_few_at_a_time_and_its_outcomes_share_their_writes() {
        // someone signed up earlier today: the day's marker in the listing (ExecutionStore) is written already
        assertThat(service.postJson("/signup?wait=true", "{\"email\":\"earlier@example.org\",\"name\":\"Ear Ly\"}")
                .status()).isEqualTo(200);
        upstreams.resetRequests();
        Map<String, Long> beforeByOperation = service.dynamoDbRequests();
        int burst = 3 * MAX_RUNNING;
        for (Answer answer : service.postAllAtOnce("/signup?wait=true", RunningService.signups("burst", burst))) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("status").asText()).isEqualTo("SUCCEEDED");
        }

        // Slack saw the invites in waves of at most MAX_RUNNING: any MAX_RUNNING + 1 of them span a whole answer
        List<Long> received = upstreams.findAll(postRequestedFor(urlEqualTo(Upstreams.SLACK_INVITE))).stream()
                .map(LoggedRequest::getLoggedDate).map(date -> date.getTime()).sorted().toList();
        assertThat(received).hasSize(burst);
        for (int i = 0; i + MAX_RUNNING < burst; i++) {
            assertThat(received.get(i + MAX_RUNNING) - received.get(i)).as("invites %d to %d", i, i + MAX_RUNNING)
                    .isGreaterThanOrEqualTo(SLACK_MILLIS - 50);
        }
        // alone, a sign-up costs 3 writes (DurableExecutionsTest); the outcomes of a wave that finish while a
        // batch is on its way go together in the next (reads, such as the look for abandoned executions, aside)
        Map<String, Long> after = service.dynamoDbRequests();
        long writes = 0;
        for (String write : List.of("PutItem", "UpdateItem", "BatchWriteItem")) {
            writes += after.getOrDefault(write, 0L) - beforeByOperation.getOrDefault(write, 0L);
        }
        assertThat(writes).as("DynamoDB writes for %d sign-ups: %s -> %s", burst, beforeByOperation, after)
                .isLessThan(3L * burst);
    }
}
