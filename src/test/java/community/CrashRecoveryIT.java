package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import community.testing.Dynalite;
import community.testing.ServiceProcess;
import community.testing.Upstreams;

/**
 * A 202 is a promise: the packaged service, started as a process, is killed (SIGKILL) or stopped (SIGTERM) with
 * sign-ups in flight, and another process on the same tables finishes every one of them.
 */
class CrashRecoveryIT {

    static final String SLACK = "/api/users.admin.invite";
    static final String AC = "/api/3/contact/sync";
    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort().containerThreads(64));

    final List<ServiceProcess> processes = new ArrayList<>();
    Map<String, String> environment;
    String membersTable;

    @BeforeAll
    static void startUpstreams() {
        upstreams.start();
    }

    @AfterAll
    static void stopUpstreams() {
        upstreams.stop();
    }

    @BeforeEach
    void sharedTables() {
        upstreams.resetAll();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        membersTable = "crash-members-" + suffix;
        environment = new HashMap<>(Map.of(
                "DYNAMODB_ENDPOINT", Dynalite.endpoint(),
                "DYNAMODB_TABLE", membersTable,
                "DYNAMODB_EXECUTIONS_TABLE", "crash-executions-" + suffix,
                "SLACK_API_URL", upstreams.baseUrl() + "/api",
                "SLACK_ADMIN_TOKEN", "xoxs-crash-test-token",
                "ACTIVECAMPAIGN_URL", upstreams.baseUrl(),
                "ACTIVECAMPAIGN_API_KEY", "ac-crash-test-key",
                "ACTIVECAMPAIGN_RATE_LIMIT", "0",
                "SIGNUP_RATE_LIMIT", "0",
                "SIGNUP_ROUTES_RELOAD", "false"));
        environment.put("SIGNUP_LEASE_DURATION", "2s");
        environment.put("SIGNUP_RECOVERY_INTERVAL", "300ms");
    }

    @AfterEach
    void stopProcesses() {
        processes.stream().filter(ServiceProcess::isAlive).forEach(ServiceProcess::kill);
    }

    ServiceProcess start(String name) {
        ServiceProcess service = ServiceProcess.start(name, environment);
        processes.add(service);
        return service;
    }

    static List<String> signUp(ServiceProcess service, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode answer = service.post("/signup",
                    "{\"email\":\"" + prefix + i + "@example.org\",\"name\":\"Crash Test\"}");
            assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(202);
            ids.add(answer.path("body").path("executionId").asText());
        }
        return ids;
    }

    static long slackCallsFor(String email) {
        return upstreams.findAll(postRequestedFor(urlEqualTo(SLACK))
                .withRequestBody(containing("email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)))).size();
    }


    void everyExecutionSucceeds(ServiceProcess survivor, List<String> ids, String prefix) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : ids) {
                JsonNode answer = survivor.get("/signup/" + id);
                assertThat(answer.path("body").path("status").asText()).as(id).isEqualTo("SUCCEEDED");
            }
        });
        for (int i = 0; i < ids.size(); i++) {
            String email = prefix + i + "@example.org";
            Map<String, AttributeValue> member = Dynalite.client().getItem(b -> b.tableName(membersTable)
                    .key(Map.of("email", AttributeValue.fromS(email)))).item();
            assertThat(member).as(email).containsKey("signed_up_at");
            assertThat(slackCallsFor(email)).as(email).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void sign_ups_accepted_before_a_sigkill_are_finished_after_a_restart() {
        // Slack is slow and ActiveCampaign failing: the kill lands during the fan-out and during a back-off.
        environment.put("ACTIVECAMPAIGN_RETRY_DELAY", "5000");
        upstreams.stubFor(post(urlEqualTo(SLACK)).willReturn(okJson("{\"ok\":true}").withFixedDelay(3000)));
        upstreams.stubFor(post(urlEqualTo(AC)).willReturn(aResponse().withStatus(503)));
        ServiceProcess first = start("crash-first");
        List<String> ids = signUp(first, "killed", 6);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(upstreams.findAll(postRequestedFor(urlEqualTo(SLACK)))).hasSize(6);
            assertThat(upstreams.findAll(postRequestedFor(urlEqualTo(AC)))).hasSizeGreaterThanOrEqualTo(6);
        });

        first.kill();
        upstreams.resetAll();
        Upstreams.answerNormally(upstreams);
        ServiceProcess second = start("crash-second");

        everyExecutionSucceeds(second, ids, "killed");
        assertThat(second.log()).contains("Resuming execution " + ids.get(0));
    }

    @Test
    void a_sigkill_between_an_approval_and_its_invite_still_sends_the_invite() {
        String token = "crash-approval-operator-token-0123456789";
        environment.put("SIGNUP_APPROVAL", "true");
        environment.put("SIGNUP_ADMIN_TOKEN", token);
        Upstreams.answerNormally(upstreams);
        ServiceProcess first = start("approval-first");
        String id = signUp(first, "approved", 1).get(0);
        // in the organisers' list of waiting sign-ups, as they approve it: stored as waiting (the live document
        // shows InviteSlack WAITING a moment before that write, and an answer then is a 409)
        await().atMost(Duration.ofSeconds(10)).until(() -> first.request(HttpRequest.newBuilder(
                first.uri("/executions?status=WAITING")).header("Authorization", "Bearer " + token).GET())
                .path("body").path("executions").findValuesAsText("executionId").contains(id));

        // Slack takes its time: the approval is stored and the invite on its way when the process dies
        upstreams.stubFor(post(urlEqualTo(SLACK)).willReturn(okJson("{\"ok\":true}").withFixedDelay(3000)));
        JsonNode approved = first.request(HttpRequest.newBuilder(first.uri("/executions/" + id + "/approve"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(approved.path("status").asInt()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> slackCallsFor("approved0@example.org") == 1);
        first.kill();

        upstreams.resetAll();
        Upstreams.answerNormally(upstreams);
        ServiceProcess second = start("approval-second");
        await().atMost(Duration.ofSeconds(30)).until(() -> second.get("/signup/" + id).path("body")
                .path("status").asText().equals("SUCCEEDED"));
        assertThat(second.get("/signup/" + id).path("body").path("results").path("InviteSlack").path("detail")
                .asText()).isEqualTo("invited");
        assertThat(slackCallsFor("approved0@example.org")).as("the invite, sent again by the instance that took over")
                .isEqualTo(1);
        assertThat(second.log()).contains("Resuming execution " + id);
    }

    @Test
    void a_sigkill_between_the_steps_and_the_final_write_is_recovered_too() {
        // DynamoDB behind a proxy that holds the write of a finished execution: the steps are done, the outcome
        // is not stored when the process dies.
        WireMockServer dynamoDb = new WireMockServer(options().dynamicPort());
        dynamoDb.start();
        try {
            Dynalite.behind(dynamoDb);
            dynamoDb.stubFor(any(anyUrl()).atPriority(1)
                    .withRequestBody(containing("\"status\":{\"S\":\"SUCCEEDED\"}"))
                    .willReturn(aResponse().withStatus(500).withFixedDelay(60_000)));
            environment.put("DYNAMODB_ENDPOINT", dynamoDb.baseUrl());
            Upstreams.answerNormally(upstreams);
            ServiceProcess first = start("final-write-first");
            // Two: the group commit has at most two outcome writes on their way, so with three executions that end
            // apart (not in one batch) the third would wait behind the two held ones and never be seen.
            List<String> ids = signUp(first, "unwritten", 2);
            // the outcomes may share a write (group commit): count the executions in them
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dynamoDb.findAll(
                    postRequestedFor(anyUrl()).withRequestBody(containing("\"status\":{\"S\":\"SUCCEEDED\"}")))
                    .stream().mapToLong(r -> r.getBodyAsString()
                            .split("\"status\":\\{\"S\":\"SUCCEEDED\"}", -1).length - 1)
                    .sum()).as("every execution's steps are done and its final write is on its way").isEqualTo(2));

            first.kill();
            environment.put("DYNAMODB_ENDPOINT", Dynalite.endpoint());
            ServiceProcess second = start("final-write-second");

            everyExecutionSucceeds(second, ids, "unwritten");
            for (int i = 0; i < ids.size(); i++) {
                assertThat(slackCallsFor("unwritten" + i + "@example.org")).as("invited before and after").isEqualTo(2);
            }
        } finally {
            dynamoDb.stop();
        }
    }

    @Test
    void a_second_instance_waits_while_the_first_holds_the_leases_and_finishes_when_it_dies() {
        upstreams.stubFor(post(urlEqualTo(SLACK)).willReturn(okJson("{\"ok\":true}").withFixedDelay(5000)));
        upstreams.stubFor(post(urlEqualTo(AC)).willReturn(Upstreams.contactCreated()));
        environment.put("SLACK_TIMEOUT", "20000");
        ServiceProcess a = start("pair-a");
        ServiceProcess b = start("pair-b");
        List<String> ids = signUp(a, "pair", 4);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(upstreams.findAll(postRequestedFor(urlEqualTo(SLACK)))).hasSize(4));

        // Longer than a lease (2 s): had A not renewed its leases, B would have started inviting again.
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(
                upstreams.findAll(postRequestedFor(urlEqualTo(SLACK)))).as("only A is inviting").hasSize(4));
        assertThat(b.log()).doesNotContain("Resuming execution");

        a.kill();
        upstreams.stubFor(post(urlEqualTo(SLACK)).willReturn(okJson("{\"ok\":true}")));
        everyExecutionSucceeds(b, ids, "pair");
        assertThat(b.log()).contains("Resuming execution " + ids.get(0));
    }

    @Test
    void sigterm_lets_in_flight_work_go_and_hands_the_rest_over_at_once() {
        environment.put("SIGNUP_LEASE_DURATION", "60s");
        environment.put("SIGNUP_SHUTDOWN_TIMEOUT", "2");
        environment.put("SLACK_TIMEOUT", "60000");
        upstreams.stubFor(post(urlEqualTo(SLACK)).willReturn(okJson("{\"ok\":true}").withFixedDelay(30000)));
        upstreams.stubFor(post(urlEqualTo(AC)).willReturn(Upstreams.contactCreated()));
        ServiceProcess a = start("term-a");
        ServiceProcess b = start("term-b");
        List<String> ids = signUp(a, "handover", 3);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(upstreams.findAll(postRequestedFor(urlEqualTo(SLACK)))).hasSize(3));

        upstreams.stubFor(post(urlEqualTo(SLACK)).willReturn(okJson("{\"ok\":true}")));
        assertThat(a.get("/observe/health").path("status").asInt()).isEqualTo(200);
        a.sendTerm();

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
                a.get("/observe/health").path("status").asInt()).as("not ready while stopping").isEqualTo(503));
        a.awaitExit();
        assertThat(a.log()).contains("Released execution " + ids.get(0));
        // The leases would last a minute: B finishing within seconds shows they were handed over.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(b.get("/signup/" + id).path("body").path("status").asText()).isEqualTo("SUCCEEDED");
            }
        });
    }
}
