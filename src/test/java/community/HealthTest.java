package community;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import community.dynamodb.EmbeddedDynalite;
import community.testing.RunningService;
import community.testing.RunningService.Answer;

/** /observe/health is ready only while DynamoDB answers, and says which check failed. */
class HealthTest {

    static EmbeddedDynalite ownStore;
    static RunningService service;

    @BeforeAll
    static void start() {
        ownStore = EmbeddedDynalite.start(Path.of("embedded-dynamodb"), 0, null);
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("dynamodb.endpoint", ownStore.endpoint());
        // the badge counts again on each request
        settings.put("signup.badge-cache", "1ms");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        ownStore.close();
    }

    @Test
    void health_is_up_until_dynamodb_goes_away_then_503_naming_it_sign_ups_get_503_and_the_badge_its_last_count() {
        Answer badge = service.get("/badge.svg");
        assertThat(badge.status()).isEqualTo(200);
        Answer up = service.get("/observe/health");
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.json().path("status").asText()).isEqualTo("UP");
        assertThat(monitorsHead().status()).as("an uptime monitor's HEAD, answered as a GET").isEqualTo(200);

        ownStore.close();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Answer down = service.get("/observe/health");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().path("status").asText()).isEqualTo("DOWN");
            assertThat(down.json().path("checks").get(0).path("name").asText()).isEqualTo("dynamodb");
            assertThat(down.json().path("checks").get(0).path("message").asText())
                    .startsWith("DynamoDB does not answer");
        });
        Answer headDown = monitorsHead();
        assertThat(headDown.status()).isEqualTo(503);
        assertThat(headDown.body()).as("a HEAD's answer has no body").isEmpty();
        Answer refused = service.postJson("/signup", "{\"email\":\"nostore@example.org\"}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        assertThat(refused.json().path("error").asText())
                .isEqualTo("the sign-up could not be stored right now; please try again in a minute");
        Answer unread = service.get("/signup/00000000-0000-4000-8000-000000000000");
        assertThat(unread.status()).isEqualTo(503);
        assertThat(unread.json().path("error").asText())
                .isEqualTo("the service's store did not answer; please try again in a minute");
        Answer lastCount = service.get("/badge.svg");
        assertThat(lastCount.status()).as("a page embedding the badge keeps showing the last count").isEqualTo(200);
        assertThat(lastCount.body()).isEqualTo(badge.body());
    }

    /** What uptime monitors send by default: Camel serves its health check for GET alone, and they found none. */
    private static Answer monitorsHead() {
        return service.send(HttpRequest.newBuilder(service.uri("/observe/health")).version(HttpClient.Version.HTTP_1_1)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }
}
