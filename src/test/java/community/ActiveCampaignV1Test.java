package community;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.LogCapture;
import community.testing.RunningService;

/** ACTIVECAMPAIGN_API=v1: the legacy contact_sync, with the key and the list in the form body. */
class ActiveCampaignV1Test {

    static final String AC_KEY = "ac-v1-test-key-2468";
    static final String ADMIN_TOKEN = "operator-v1-test-token-13579-abcdefghij";
    static final WireMockServer activeCampaign = new WireMockServer(options().dynamicPort());
    static RunningService service;
    static LogCapture log;

    @BeforeAll
    static void start() {
        log = LogCapture.start();
        activeCampaign.start();
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("activecampaign.url", activeCampaign.baseUrl());
        settings.put("activecampaign.api-key", AC_KEY);
        settings.put("activecampaign.api", "v1");
        settings.put("activecampaign.list-id", "3");
        settings.put("signup.admin-token", ADMIN_TOKEN);
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        activeCampaign.stop();
        log.close();
    }

    @BeforeEach
    void reset() {
        activeCampaign.resetAll();
    }

    static JsonNode recordAc(String email) {
        JsonNode execution = service.postJson("/signup?wait=true",
                "{\"email\":\"" + email + "\",\"first_name\":\"Vee\",\"last_name\":\"One\"}").json();
        return execution.path("results").path("RecordAC");
    }

    @Test
    void forgetting_a_person_leaves_their_v1_contact_and_says_to_delete_it_there() {
        activeCampaign.stubFor(post(urlPathEqualTo("/admin/api.php")).willReturn(okJson(
                "{\"subscriber_id\":8,\"result_code\":1,\"result_message\":\"Contact added\"}")));
        recordAc("vee-forgotten@example.org");

        RunningService.Answer forgotten = service.send(java.net.http.HttpRequest.newBuilder(
                service.uri("/members/forget")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"vee-forgotten@example.org\"}")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ADMIN_TOKEN));

        assertThat(forgotten.status()).isEqualTo(200);
        assertThat(forgotten.json().path("member").asBoolean()).isTrue();
        assertThat(forgotten.json().path("activecampaign").asText())
                .isEqualTo("not deleted: with ACTIVECAMPAIGN_API=v1 the service deletes no contacts; delete it there");
        assertThat(activeCampaign.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/api/3/.*")))).isEmpty();
    }

    @Test
    void result_code_1_is_success_and_the_request_carries_key_names_and_list() {
        activeCampaign.stubFor(post(urlPathEqualTo("/admin/api.php")).willReturn(okJson(
                "{\"subscriber_id\":7,\"result_code\":1,\"result_message\":\"Contact added\",\"result_output\":\"json\"}")));

        assertThat(recordAc("vee@example.org").path("status").asText()).isEqualTo("SUCCEEDED");

        List<LoggedRequest> calls = activeCampaign.findAll(postRequestedFor(urlPathEqualTo("/admin/api.php")));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).queryParameter("api_action").firstValue()).isEqualTo("contact_sync");
        assertThat(calls.get(0).queryParameter("api_output").firstValue()).isEqualTo("json");
        assertThat(calls.get(0).getUrl()).doesNotContain(AC_KEY);
        assertThat(SignupFlowTest.form(calls.get(0))).containsEntry("api_key", AC_KEY)
                .containsEntry("email", "vee@example.org").containsEntry("first_name", "Vee")
                .containsEntry("last_name", "One").containsEntry("p[3]", "3");
    }

    @Test
    void result_code_0_fails_at_once_with_activecampaigns_message() {
        activeCampaign.stubFor(post(urlPathEqualTo("/admin/api.php")).willReturn(okJson(
                "{\"result_code\":0,\"result_message\":\"You are not authorized to access this file\"}")));

        JsonNode ac = recordAc("notauthorized@example.org");

        assertThat(ac.path("status").asText()).isEqualTo("FAILED");
        assertThat(ac.path("error").asText()).isEqualTo("Rejected");
        assertThat(ac.path("attempts").asInt()).isEqualTo(1);
        assertThat(ac.path("cause").asText()).isEqualTo("RecordAC: ActiveCampaign answered result_code 0: "
                + "You are not authorized to access this file (attempt 1 of 4)");
    }

    @Test
    void activecampaigns_message_cannot_forge_a_log_line_or_send_a_terminal_escape() {
        // an answer is untrusted: a line break and a timestamp in it made a second log line, here an ERROR
        activeCampaign.stubFor(post(urlPathEqualTo("/admin/api.php")).willReturn(okJson("{\"result_code\":0,"
                + "\"result_message\":\"Bad\\r\\n11:11:11.111 ERROR [main] forged\\u001b[2J\\u2028line\\u0007\"}")));

        JsonNode ac = recordAc("forger@example.org");

        assertThat(ac.path("status").asText()).isEqualTo("FAILED");
        assertThat(ac.path("cause").asText()).isEqualTo("RecordAC: ActiveCampaign answered result_code 0: "
                + "Bad 11:11:11.111 ERROR [main] forged[2J line (attempt 1 of 4)");
        assertThat(log.messages()).filteredOn(m -> m.contains("forged")).isNotEmpty()
                .allSatisfy(m -> assertThat(m).doesNotContainPattern("[\\r\\n\\u001b\\u0007\\u2028]"));
    }
}
