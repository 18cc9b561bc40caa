package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.Upstreams;

/**
 * ActiveCampaign v3 with ACTIVECAMPAIGN_LIST_ID set (the contact is subscribed to the list after the sync), and
 * the outbound rate limits: ActiveCampaign allows 5 requests per second, and excess work waits instead of failing;
 * Slack's limit, set beside it, is a window of its own.
 */
class ActiveCampaignListTest {

    static final String AC_KEY = "ac-list-test-key-1357";
    static final WireMockServer activeCampaign = new WireMockServer(options().dynamicPort());
    static final WireMockServer slack = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        activeCampaign.start();
        slack.start();
        Map<String, String> settings = RunningService.quickSettings();
        // the API's base as ActiveCampaign's documents give it: the calls must not say /api/3 twice
        settings.put("activecampaign.url", activeCampaign.baseUrl() + "/api/3/");
        settings.put("activecampaign.api-key", AC_KEY);
        settings.put("activecampaign.list-id", "3");
        settings.put("activecampaign.rate-limit", "5");
        settings.put("slack.api-url", slack.baseUrl() + "/api");
        settings.put("slack.admin-token", "xoxp-list-test-token");
        settings.put("slack.rate-limit", "3");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        activeCampaign.stop();
        slack.stop();
    }

    @BeforeEach
    void reset() {
        activeCampaign.resetAll();
        activeCampaign.stubFor(post(urlEqualTo("/api/3/contact/sync")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"contact\":{\"id\":\"42\"}}")));
        activeCampaign.stubFor(post(urlEqualTo("/api/3/contactLists"))
                .willReturn(okJson("{\"contactList\":{\"id\":\"1\"}}")));
        slack.resetAll();
        slack.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE)).willReturn(okJson("{\"ok\":true}")));
    }

    static JsonNode signUp(String email) {
        return service.postJson("/signup?wait=true", "{\"email\":\"" + email + "\",\"name\":\"List Member\"}").json();
    }

    @Test
    void the_contact_is_synced_then_subscribed_to_the_list() {
        JsonNode ac = signUp("lister@example.org").path("results").path("RecordAC");

        assertThat(ac.path("status").asText()).isEqualTo("SUCCEEDED");
        activeCampaign.verify(1, postRequestedFor(urlEqualTo("/api/3/contactLists"))
                .withHeader("Api-Token", equalTo(AC_KEY))
                .withRequestBody(equalToJson("{\"contactList\":{\"list\":\"3\",\"contact\":\"42\",\"status\":1}}")));
    }

    @Test
    void a_refused_list_subscription_fails_the_step() {
        activeCampaign.stubFor(post(urlEqualTo("/api/3/contactLists"))
                .willReturn(aResponse().withStatus(422).withBody("{\"errors\":[{\"title\":\"No list\"}]}")));

        JsonNode ac = signUp("nolist@example.org").path("results").path("RecordAC");

        assertThat(ac.path("status").asText()).isEqualTo("FAILED");
        assertThat(ac.path("error").asText()).isEqualTo("Invalid");
        assertThat(ac.path("cause").asText()).contains("contactLists").contains("No list");
    }

    @Test
    void requests_beyond_each_upstreams_limit_wait_their_turn_and_do_not_fail() {
        List<CompletableFuture<JsonNode>> signUps = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> signUp("burst" + i + "@example.org")))
                .toList();

        for (CompletableFuture<JsonNode> signUp : signUps) {
            JsonNode results = signUp.join().path("results");
            assertThat(results.path("RecordAC").path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(results.path("InviteSlack").path("status").asText()).isEqualTo("SUCCEEDED");
        }
        String metrics = service.get("/observe/metrics").body();
        assertThat(metrics).containsPattern("signup_rate_limit_waits_total\\{upstream=\"activecampaign\"\\} [1-9]")
                .containsPattern("signup_rate_limit_waits_total\\{upstream=\"slack\"\\} [1-9]");
        Upstreams.assertNoMoreThanPerSecond(Upstreams.requestTimes(activeCampaign, null), 16, 5);
        Upstreams.assertNoMoreThanPerSecond(Upstreams.requestTimes(slack, null), 8, 3);
    }
}
