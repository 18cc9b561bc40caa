package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import community.testing.Dynalite;
import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * The log says an execution's lease was lost only when it was: an instance renews the leases of all its executions
 * at once, and a renewal that reaches the store after the execution's final write finds the item no longer leased.
 * That execution ended here; on a single instance, "another instance has taken it over" sent operators looking for
 * an instance that does not exist (70 to 90 such lines in a benchmark run). A lease really lost is said once, and
 * no longer renewed. DynamoDB is dynalite behind a proxy: it refuses the renewals of two addresses (one
 * execution's refusal comes after it ended, the other's while it still runs), or holds back the answer to an
 * outcome's write that it has already stored, so that the renewals sent meanwhile find the item no longer leased.
 */
class LeaseRenewalTest {

    static final String ENDED = "renewal-ended@example.org";
    static final String RUNNING = "renewal-running@example.org";

    final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    final WireMockServer dynamoDb = new WireMockServer(options().dynamicPort());
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    RunningService service;

    @BeforeEach
    void start() {
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        Map<String, String> settings = Upstreams.settingsWithStoreProxy(upstreams, dynamoDb, "xoxs-renewal",
                "ac-renewal");
        // renewals every 100 ms; no look for abandoned executions during the test (the refused renewals let the
        // leases run out in the store)
        settings.put("signup.lease-duration", "300ms");
        settings.put("signup.recovery-interval", "1h");
        settings.put("slack.timeout", "10000");
        service = RunningService.start(settings);
    }

    @AfterEach
    void stop() {
        service.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        upstreams.stop();
        dynamoDb.stop();
    }

    /** The store refuses this address's lease renewals (the lease is not this instance's), after a delay. */
    void renewalsRefused(String email, int afterMillis) {
        dynamoDb.stubFor(WireMock.post(anyUrl()).atPriority(1)
                .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.UpdateItem"))
                .withRequestBody(containing(email)).withRequestBody(containing("leaseUntil"))
                .willReturn(RecordDbTest.dynamoDbError(400, "ConditionalCheckFailedException",
                        "The conditional request failed").withFixedDelay(afterMillis)));
    }

    /** The lease renewals of this address's execution received so far (not a returning member's UpdateItem). */
    List<LoggedRequest> renewalsOf(String email) {
        return dynamoDb.findAll(WireMock.postRequestedFor(anyUrl())
                .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.UpdateItem"))
                .withRequestBody(containing(email)).withRequestBody(containing("leaseUntil")));
    }

    void slackAnswersAfter(String email, int millis) {
        upstreams.stubFor(WireMock.post(urlEqualTo(Upstreams.SLACK_INVITE)).atPriority(1)
                .withRequestBody(containing(email.substring(0, email.indexOf('@'))))
                .willReturn(okJson("{\"ok\":true}").withFixedDelay(millis)));
    }

    List<String> lostLeases() {
        synchronized (log) { // the lock the appender holds while it appends
            return log.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.startsWith("Lost the lease")).toList();
        }
    }

    @Test
    void a_renewal_refused_because_the_final_write_got_there_first_is_not_a_lost_lease() {
        // the store takes the outcome at once but its answer comes 1.5 s later: meanwhile the execution is still in
        // flight here, and its renewals (every 100 ms) find the item no longer leased
        dynamoDb.stubFor(WireMock.post(anyUrl()).atPriority(1).withRequestBody(containing(ENDED))
                .withRequestBody(containing("SUCCEEDED"))
                .willReturn(aResponse().proxiedFrom(Dynalite.endpoint()).withFixedDelay(1500)));

        Answer ended = service.postJson("/signup?wait=true", "{\"email\":\"" + ENDED + "\",\"name\":\"En Ded\"}");

        assertThat(ended.json().path("status").asText()).isEqualTo("SUCCEEDED");
        var outcome = dynamoDb.findAll(WireMock.postRequestedFor(anyUrl()).withRequestBody(containing(ENDED))
                .withRequestBody(containing("SUCCEEDED"))).get(0);
        assertThat(renewalsOf(ENDED)).as("renewals sent after the outcome was stored, before its answer")
                .anyMatch(renewal -> renewal.getLoggedDate().after(outcome.getLoggedDate()));
        assertThat(lostLeases()).isEmpty();
    }

    @Test
    void a_renewal_that_arrives_after_the_execution_ended_is_not_reported_as_a_lost_lease() {
        // the refusal of ENDED's renewal comes 3 s after it was sent, long after ENDED's 0.7 s
        renewalsRefused(ENDED, 3000);
        slackAnswersAfter(ENDED, 700);
        Answer ended = service.postJson("/signup?wait=true", "{\"email\":\"" + ENDED + "\",\"name\":\"En Ded\"}");
        assertThat(ended.json().path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(renewalsOf(ENDED)).as("its lease was renewed while it ran").isNotEmpty();

        // RUNNING's renewals are refused at once while it runs (4 s). They are sent only once the renewals before
        // them are settled, ENDED's included: its warning is the sign that ENDED's refusal has been dealt with.
        renewalsRefused(RUNNING, 0);
        slackAnswersAfter(RUNNING, 4000);
        CompletableFuture<Answer> running = CompletableFuture.supplyAsync(
                () -> service.postJson("/signup?wait=true", "{\"email\":\"" + RUNNING + "\",\"name\":\"Run Ning\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !lostLeases().isEmpty());

        assertThat(lostLeases()).noneMatch(line -> line.contains(ended.json().path("executionId").asText()));
        Answer lost = running.join();
        assertThat(lostLeases()).as("said once, though refused at every renewal for 4 s")
                .filteredOn(line -> line.contains(lost.json().path("executionId").asText())).hasSize(1);
        assertThat(lost.json().path("status").asText())
                .as("its outcome is still written: no other instance holds it").isEqualTo("SUCCEEDED");
    }
}
