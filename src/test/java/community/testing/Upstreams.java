package community.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** One WireMock server standing in for both Slack and ActiveCampaign, as most tests use it. */
public final class Upstreams {

    public static final String SLACK_INVITE = "/api/users.admin.invite";
    public static final String AC_SYNC = "/api/3/contact/sync";

    private Upstreams() {
    }

    /** The quick settings, pointing Slack and ActiveCampaign at the server with these credentials. */
    public static Map<String, String> settings(WireMockServer server, String slackToken, String acKey) {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("slack.api-url", server.baseUrl() + "/api");
        settings.put("slack.admin-token", slackToken);
        settings.put("activecampaign.url", server.baseUrl());
        settings.put("activecampaign.api-key", acKey);
        return settings;
    }

    /**
     * Starts both servers, the upstreams answering normally and {@code dynamoDb} as a proxy in front of dynalite
     * ({@link Dynalite#behind}), and gives the quick settings that point the service at them.
     */
    public static Map<String, String> settingsWithStoreProxy(WireMockServer upstreams, WireMockServer dynamoDb,
            String slackToken, String acKey) {
        dynamoDb.start();
        Dynalite.behind(dynamoDb);
        upstreams.start();
        answerNormally(upstreams);
        Map<String, String> settings = settings(upstreams, slackToken, acKey);
        settings.put("dynamodb.endpoint", dynamoDb.baseUrl());
        return settings;
    }

    /** Slack invites, ActiveCampaign creates the contact (id 1). */
    public static void answerNormally(WireMockServer server) {
        server.stubFor(post(urlEqualTo(SLACK_INVITE)).willReturn(okJson("{\"ok\":true}")));
        server.stubFor(post(urlEqualTo(AC_SYNC)).willReturn(contactCreated()));
    }

    /** Slack invites, taking this long to answer. */
    public static void slackAnswersAfter(WireMockServer server, int millis) {
        server.stubFor(post(urlEqualTo(SLACK_INVITE)).willReturn(okJson("{\"ok\":true}").withFixedDelay(millis)));
    }

    public static ResponseDefinitionBuilder contactCreated() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"contact\":{\"id\":\"1\"}}");
    }

    /** When the server received each request to this path (all of them when null), in order. */
    public static List<Instant> requestTimes(WireMockServer server, String path) {
        return server.getAllServeEvents().stream().filter(e -> path == null || e.getRequest().getUrl().equals(path))
                .map(e -> e.getRequest().getLoggedDate().toInstant()).sorted().toList();
    }

    /**
     * That {@code requests} arrived, never more than {@code limit} within a second. Unthrottled, they would all arrive
     * within a few milliseconds; the margin absorbs the jitter between a throttle letting a request go and WireMock
     * logging it.
     */
    public static void assertNoMoreThanPerSecond(List<Instant> sent, int requests, int limit) {
        assertThat(sent).hasSize(requests);
        for (int i = 0; i + limit < sent.size(); i++) {
            assertThat(Duration.between(sent.get(i), sent.get(i + limit)))
                    .as("no " + (limit + 1) + " requests within one second").isGreaterThanOrEqualTo(Duration.ofMillis(800));
        }
    }
}
