package community.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

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
}
