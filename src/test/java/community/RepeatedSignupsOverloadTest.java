package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.Dynalite;
import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * A sign-up whose e-mail already has an execution is answered with that execution after a look-up in the store,
 * done on a small pool of threads ({@code signup.lookup-threads}, {@code signup.lookup-queue}). When the pool and
 * its queue are full, the sign-up gets {@code 503} with {@code Retry-After}; nothing is stored or sent for it, and
 * the store gets no more of these reads at once than the pool has threads.
 * Here the pool has one thread and no queue, and the store takes 3 s to read that e-mail's execution.
 */
class RepeatedSignupsOverloadTest {

    static final String EMAIL = "again@example.org";
    static final String SIGN_UP = "{\"email\":\"" + EMAIL + "\",\"name\":\"Ag Ain\"}";

    final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    final WireMockServer dynamoDb = new WireMockServer(options().dynamicPort());
    RunningService service;

    @BeforeEach
    void start() {
        Map<String, String> settings = Upstreams.settingsWithStoreProxy(upstreams, dynamoDb, "xoxs-overload",
                "ac-overload");
        settings.put("signup.lookup-threads", "1");
        settings.put("signup.lookup-queue", "0");
        service = RunningService.start(settings);
    }

    @AfterEach
    void stop() {
        service.close();
        upstreams.stop();
        dynamoDb.stop();
    }

    static RequestPatternBuilder readOfTheExecution() {
        return postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.GetItem"))
                .withRequestBody(containing(EMAIL));
    }

    @Test
    void repeated_sign_ups_beyond_what_can_be_looked_up_at_once_get_503_and_nothing_is_stored_or_sent() {
        Answer first = service.postJson("/signup?wait=true", SIGN_UP);
        assertThat(first.json().path("status").asText()).isEqualTo("SUCCEEDED");
        dynamoDb.stubFor(WireMock.post(anyUrl()).atPriority(1)
                .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.GetItem"))
                .withRequestBody(containing(EMAIL))
                .willReturn(aResponse().proxiedFrom(Dynalite.endpoint()).withFixedDelay(3000)));
        int stored = service.executionItemCount();

        // the second sign-up's look-up holds the only thread while the store takes its time
        CompletableFuture<Answer> lookedUp = CompletableFuture.supplyAsync(() -> service.postJson("/signup", SIGN_UP));
        await().atMost(Duration.ofSeconds(10)).until(() -> !dynamoDb.findAll(readOfTheExecution()).isEmpty());
        Answer refused = service.postJson("/signup", SIGN_UP);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        assertThat(refused.json().path("error").asText())
                .isEqualTo("too many sign-ups are being processed; please try again in a minute");
        assertThat(dynamoDb.findAll(readOfTheExecution())).as("the refused one did not read the store").hasSize(1);

        Answer answered = lookedUp.join();
        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.json().path("status").asText()).isEqualTo("ALREADY_SIGNED_UP");
        assertThat(service.executionItemCount()).as("nothing stored for either").isEqualTo(stored);
        upstreams.verify(1, postRequestedFor(urlPathEqualTo("/api/users.admin.invite")));
        upstreams.verify(1, postRequestedFor(urlPathEqualTo("/api/3/contact/sync")));
    }
}
