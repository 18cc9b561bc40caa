package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import community.testing.Dynalite;
import community.testing.LogCapture;
import community.testing.RunningService;
import community.testing.Upstreams;
import community.testing.RunningService.Answer;

/** Idempotency under concurrency, the operator API and redrive, and what durability costs in DynamoDB requests. */
class DurableExecutionsTest {

    static final String ADMIN_TOKEN = "operator-secret-token-9753-abcdefghijkl";
    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        upstreams.start();
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-durable-test-token", "ac-durable-test-key");
        settings.put("signup.admin-token", ADMIN_TOKEN);
        // the second as an operator may write it, for the browser's https://other.example
        settings.put("signup.cors-origins", "https://community.example, https://Other.Example:443");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        upstreams.stop();
    }

    @BeforeEach
    void upstreamsAnswerNormally() {
        upstreams.resetAll();
        Upstreams.answerNormally(upstreams);
    }

    /** Slack refuses the token from now on: every sign-up's InviteSlack, and so the sign-up, FAILS. */
    static void slackRefusesInvites() {
        upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
    }

    static JsonNode signUpAndWait(String email) {
        Answer answer = service.postJson("/signup?wait=true", "{\"email\":\"" + email + "\",\"name\":\"Du Rable\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    static Answer operator(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return service.send(request);
    }

    /** The operator's look-up of a person, the address in the body. */
    static Answer find(String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri("/members/find"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return service.send(token == null ? request : request.header("Authorization", "Bearer " + token));
    }

    @Test
    void twenty_simultaneous_sign_ups_with_one_email_start_one_execution_and_call_each_upstream_once() {
        CountDownLatch ready = new CountDownLatch(1);
        List<CompletableFuture<Answer>> answers = IntStream.range(0, 20)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        ready.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return service.postJson("/signup", "{\"email\":\"crowd@example.org\",\"name\":\"Crowd " + i + "\"}");
                })).toList();
        ready.countDown();

        Set<String> ids = new HashSet<>();
        int accepted = 0;
        for (CompletableFuture<Answer> answer : answers) {
            Answer a = answer.join();
            assertThat(a.status()).as(a.body()).isIn(200, 202);
            if (a.status() == 202) {
                accepted++;
                ids.add(a.json().path("executionId").asText());
            } else {
                assertThat(a.json().path("status").asText()).isEqualTo("ALREADY_SIGNED_UP");
                assertThat(a.json().has("executionId")).as("a repeat is not told the first one's id").isFalse();
            }
        }
        assertThat(ids).hasSize(1);
        assertThat(accepted).isEqualTo(1);
        String id = ids.iterator().next();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                service.get("/signup/" + id).json().path("status").asText()).isEqualTo("SUCCEEDED"));
        upstreams.verify(1, postRequestedFor(urlEqualTo("/api/users.admin.invite")));
        upstreams.verify(1, postRequestedFor(urlEqualTo("/api/3/contact/sync")));
    }

    @Test
    void a_successful_sign_up_costs_three_dynamodb_requests() {
        signUpAndWait("warmup@example.org");
        Map<String, Long> before = service.dynamoDbRequests();

        signUpAndWait("cost@example.org");

        Map<String, Long> after = service.dynamoDbRequests();
        // the periodic look for abandoned executions (a Query) may fall in between: it is no sign-up's cost
        long lookedForAbandoned = after.getOrDefault("Query", 0L) - before.getOrDefault("Query", 0L);
        assertThat(total(after) - total(before) - lookedForAbandoned)
                .as("store the execution, record the member, store the outcome: %s -> %s", before, after)
                .isEqualTo(3);
        assertThat(after.get("PutItem") - before.get("PutItem")).as("the execution and the new member").isEqualTo(2);
        assertThat(after.get("BatchWriteItem") - before.get("BatchWriteItem")).as("the outcome").isEqualTo(1);
    }

    private static long total(Map<String, Long> byOperation) {
        return byOperation.values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void the_history_shows_every_attempt_with_its_times_outcome_and_cause() {
        slackRefusesInvites();
        String id = signUpAndWait("hist@example.org").path("executionId").asText();

        JsonNode history = service.get("/signup/" + id + "?history=true").json().path("history");

        assertThat(history).hasSize(3);
        for (JsonNode attempt : history) {
            assertThat(attempt.path("attempt").asInt()).isEqualTo(1);
            assertThat(Instant.parse(attempt.path("stoppedAt").asText()))
                    .isAfterOrEqualTo(Instant.parse(attempt.path("startedAt").asText()));
            if (attempt.path("step").asText().equals("InviteSlack")) {
                assertThat(attempt.path("outcome").asText()).isEqualTo("FAILED");
                assertThat(attempt.path("error").asText()).isEqualTo("invalid_auth");
                assertThat(attempt.path("cause").asText()).contains("Slack answered invalid_auth");
            } else {
                assertThat(attempt.path("outcome").asText()).isEqualTo("SUCCEEDED");
            }
        }
    }

    @Nested
    class Cors {

        Answer preflight(String origin) {
            return service.send(HttpRequest.newBuilder(service.uri("/signup")).header("Origin", origin)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        }

        /** A page of {@code origin} may post a sign-up: its preflight and its post are let through. */
        void postsFrom(String origin, String email) {
            Answer preflight = preflight(origin);
            assertThat(preflight.status()).isIn(200, 204);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(origin);
            assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");

            Answer post = service.send(HttpRequest.newBuilder(service.uri("/signup"))
                    .header("Origin", origin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}")));
            assertThat(post.status()).isEqualTo(202);
            assertThat(post.header("Access-Control-Allow-Origin")).isEqualTo(origin);
        }

        @Test
        void an_allowed_site_may_post_sign_ups_from_its_pages() {
            postsFrom("https://community.example", "cors@example.org");
        }

        @Test
        void an_allowed_site_written_with_capitals_and_its_default_port_is_the_origin_browsers_send() {
            postsFrom("https://other.example", "cors-other@example.org");
        }

        @Test
        void an_allowed_site_s_page_may_follow_the_sign_up_it_posted_and_another_site_may_not() {
            // a community's own form (the original's was a page on S3, another origin than its API) posts, then
            // shows what each step did: it reads the Location header, then the execution there
            Answer post = service.send(HttpRequest.newBuilder(service.uri("/signup"))
                    .header("Origin", "https://community.example").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"follow@example.org\"}")));
            assertThat(post.header("Access-Control-Expose-Headers")).containsIgnoringCase("Location")
                    .as("the wait a 429 or a 503 asks for").containsIgnoringCase("Retry-After");
            String status = post.header("Location");

            Answer followed = service.send(HttpRequest.newBuilder(service.uri(status))
                    .header("Origin", "https://community.example").header("Accept", "application/json").GET());
            assertThat(followed.status()).isEqualTo(200);
            assertThat(followed.header("Access-Control-Allow-Origin")).isEqualTo("https://community.example");
            Answer elsewhere = service.send(HttpRequest.newBuilder(service.uri(status))
                    .header("Origin", "https://evil.example").header("Accept", "application/json").GET());
            assertThat(elsewhere.header("Access-Control-Allow-Origin")).isNull();
        }

        @Test
        void another_site_gets_no_cors_headers() {
            Answer preflight = preflight("https://evil.example");
            assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
            Answer post = service.send(HttpRequest.newBuilder(service.uri("/signup"))
                    .header("Origin", "https://evil.example").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"evil@example.org\"}")));
            assertThat(post.header("Access-Control-Allow-Origin")).isNull();
            assertThat(post.status()).as("and its page's posts are refused").isEqualTo(403);
        }

        @Test
        void the_service_own_page_may_post() {
            String origin = service.uri("").toString();
            Answer post = service.send(HttpRequest.newBuilder(service.uri("/signup"))
                    .header("Origin", origin).header("Sec-Fetch-Site", "same-origin")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("email=own-page%40example.org&name=Own+Page")));
            assertThat(post.status()).as(origin).isEqualTo(202);
        }
    }

    @Nested
    class OperatorApi {

        @Test
        void needs_the_operator_token() {
            assertThat(operator("GET", "/executions", null).status()).isEqualTo(401);
            assertThat(operator("GET", "/executions", "wrong").status()).isEqualTo(401);
            assertThat(operator("GET", "/executions", ADMIN_TOKEN + "x").status()).isEqualTo(401);
            Answer refused = operator("POST", "/executions/5f0c1a2b-0000-4000-8000-000000000000/redrive", "wrong");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().path("error").asText()).isEqualTo("a valid operator token is required");
            assertThat(operator("GET", "/executions", ADMIN_TOKEN).status()).isEqualTo(200);
        }

        @Test
        void lists_executions_newest_first_by_status_a_page_at_a_time() {
            slackRefusesInvites();
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                failed.add(0, signUpAndWait("pager" + i + "@example.org").path("executionId").asText());
            }

            JsonNode first = operator("GET", "/executions?status=FAILED&limit=2", ADMIN_TOKEN).json();
            assertThat(first.path("executions")).hasSize(2);
            assertThat(first.path("executions").get(0).path("executionId").asText()).isEqualTo(failed.get(0));
            assertThat(first.path("executions").get(1).path("executionId").asText()).isEqualTo(failed.get(1));
            assertThat(first.path("executions").get(0).path("history")).isNotEmpty();
            String cursor = first.path("nextCursor").asText();
            assertThat(cursor).isNotBlank();

            JsonNode second = operator("GET", "/executions?status=FAILED&limit=2&cursor=" + cursor, ADMIN_TOKEN)
                    .json();
            List<String> rest = new ArrayList<>();
            second.path("executions").forEach(e -> rest.add(e.path("executionId").asText()));
            assertThat(rest).contains(failed.get(2)).doesNotContain(failed.get(0), failed.get(1));
            second.path("executions").forEach(e -> assertThat(e.path("status").asText()).isEqualTo("FAILED"));

            JsonNode all = operator("GET", "/executions?limit=100", ADMIN_TOKEN).json();
            List<Instant> started = new ArrayList<>();
            all.path("executions").forEach(e -> started.add(Instant.parse(e.path("startedAt").asText())));
            assertThat(started).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        }

        @Test
        void finds_one_persons_sign_up_by_the_address_they_typed() {
            String id = signUpAndWait("Finder.Person@example.org").path("executionId").asText();

            JsonNode found = find("{\"email\":\" FINDER.person@Example.org \"}", ADMIN_TOKEN).json();
            assertThat(found.path("executions")).hasSize(1);
            assertThat(found.path("executions").get(0).path("executionId").asText()).isEqualTo(id);
            assertThat(found.path("executions").get(0).path("history")).isNotEmpty();
            assertThat(found.path("nextCursor").isNull()).isTrue();
            String status = found.path("executions").get(0).path("status").asText();
            assertThat(find("{\"email\":\"finder.person@example.org\",\"status\":\"" + status + "\"}", ADMIN_TOKEN)
                    .json().path("executions")).hasSize(1);
            assertThat(find("{\"email\":\"finder.person@example.org\",\"status\":\""
                    + (status.equals("FAILED") ? "SUCCEEDED" : "FAILED") + "\"}", ADMIN_TOKEN).json().path("executions"))
                    .isEmpty();
            Answer nobody = find("{\"email\":\"nobody-here@example.org\"}", ADMIN_TOKEN);
            assertThat(nobody.status()).isEqualTo(200);
            assertThat(nobody.json().path("executions")).isEmpty();
            assertThat(find("{\"email\":\"finder.person@example.org\"}", null).status()).isEqualTo(401);
            assertThat(find("{\"email\":\"finder.person\"}", ADMIN_TOKEN).json().path("fields").path("email").asText())
                    .isEqualTo("must contain exactly one @");
            assertThat(find("{\"email\":\"finder.person@example.org\",\"status\":\"LOST\"}", ADMIN_TOKEN).status())
                    .isEqualTo(400);
            assertThat(operator("GET", "/members/find", ADMIN_TOKEN).status()).isEqualTo(405);

            // never in a URL, where every proxy on the way logs it
            Answer inTheUrl = operator("GET", "/executions?email=finder.person@example.org", ADMIN_TOKEN);
            assertThat(inTheUrl.status()).isEqualTo(400);
            assertThat(inTheUrl.json().path("error").asText()).startsWith("look a person up with POST /members/find");
        }

        @Test
        void a_failed_sign_up_its_person_made_again_is_no_longer_listed_or_counted_as_failed() {
            slackRefusesInvites();
            JsonNode first = signUpAndWait("second-try@example.org");
            assertThat(first.path("status").asText()).isEqualTo("FAILED");
            int failedBefore = operator("GET", "/executions/counts", ADMIN_TOKEN).json().path("failed").asInt();
            upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite")).willReturn(okJson("{\"ok\":true}")));
            JsonNode second = signUpAndWait("second-try@example.org");
            assertThat(second.path("status").asText()).isEqualTo("SUCCEEDED");

            assertThat(ids(operator("GET", "/executions?status=FAILED&limit=100", ADMIN_TOKEN).json()))
                    .doesNotContain(first.path("executionId").asText());
            assertThat(operator("GET", "/executions/counts", ADMIN_TOKEN).json().path("failed").asInt())
                    .isEqualTo(failedBefore - 1);
            // kept in the history of all sign-ups, as it was
            JsonNode all = operator("GET", "/executions?limit=100", ADMIN_TOKEN).json();
            assertThat(ids(all)).contains(first.path("executionId").asText(), second.path("executionId").asText());
        }

        static List<String> ids(JsonNode page) {
            List<String> ids = new ArrayList<>();
            page.path("executions").forEach(e -> ids.add(e.path("executionId").asText()));
            return ids;
        }

        @Test
        void rejects_a_bad_status_limit_or_cursor() {
            assertThat(operator("GET", "/executions?status=BROKEN", ADMIN_TOKEN).status()).isEqualTo(400);
            assertThat(operator("GET", "/executions?limit=0", ADMIN_TOKEN).status()).isEqualTo(400);
            assertThat(operator("GET", "/executions?limit=abc", ADMIN_TOKEN).status()).isEqualTo(400);
            assertThat(operator("GET", "/executions?cursor=bm90LWEtY3Vyc29y", ADMIN_TOKEN).status()).isEqualTo(400);
        }

        @Test
        void a_cursor_of_another_listing_or_made_up_is_a_400_not_a_store_failure() {
            slackRefusesInvites();
            for (int i = 0; i < 2; i++) {
                signUpAndWait("cursor" + i + "@example.org");
            }
            String failedCursor = operator("GET", "/executions?status=FAILED&limit=1", ADMIN_TOKEN).json()
                    .path("nextCursor").asText();
            String listingCursor = operator("GET", "/executions?limit=1", ADMIN_TOKEN).json().path("nextCursor")
                    .asText();
            assertThat(failedCursor).isNotBlank();
            assertThat(listingCursor).isNotBlank();

            for (String query : List.of("status=SUCCEEDED&cursor=" + failedCursor, "status=FAILED&cursor="
                    + listingCursor, "cursor=" + failedCursor, "status=FAILED&cursor=" + made("{\"foo\":\"x\"}"),
                    "status=FAILED&cursor=" + made("{\"email\":\"x\",\"status\":null,\"startedAt\":\"1\"}"))) {
                Answer answer = operator("GET", "/executions?" + query, ADMIN_TOKEN);
                assertThat(answer.status()).as(query).isEqualTo(400);
                assertThat(answer.json().path("error").asText()).isEqualTo("the cursor is not one this service gave out");
            }
        }

        static String made(String json) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void redrive_runs_only_the_failed_steps_again_and_keeps_the_others() {
            slackRefusesInvites();
            JsonNode failed = signUpAndWait("redrive@example.org");
            assertThat(failed.path("status").asText()).isEqualTo("FAILED");
            String id = failed.path("executionId").asText();
            upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite")).willReturn(okJson("{\"ok\":true}")));

            Answer redriven = operator("POST", "/executions/" + id + "/redrive", ADMIN_TOKEN);

            assertThat(redriven.status()).as(redriven.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    service.get("/signup/" + id).json().path("status").asText()).isEqualTo("SUCCEEDED"));
            JsonNode done = service.get("/signup/" + id).json();
            assertThat(done.path("results").path("InviteSlack").path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.path("results").path("RecordAC")).isEqualTo(failed.path("results").path("RecordAC"));
            assertThat(done.path("results").path("RecordDB")).isEqualTo(failed.path("results").path("RecordDB"));
            upstreams.verify(2, postRequestedFor(urlEqualTo("/api/users.admin.invite")));
            upstreams.verify(1, postRequestedFor(urlEqualTo("/api/3/contact/sync")));
        }

        @Test
        void an_address_that_begins_as_the_archived_keys_did_is_redriven_as_any_other() {
            // "archived#" began the keys of replaced failures: an address may begin so too, and was told it had been
            // replaced by a newer sign-up
            slackRefusesInvites();
            String id = signUpAndWait("archived#elf@example.org").path("executionId").asText();
            upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite")).willReturn(okJson("{\"ok\":true}")));

            Answer redriven = operator("POST", "/executions/" + id + "/redrive", ADMIN_TOKEN);

            assertThat(redriven.status()).as(redriven.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    service.get("/signup/" + id).json().path("status").asText()).isEqualTo("SUCCEEDED"));
        }

        @Test
        void redrive_of_an_execution_that_did_not_fail_is_a_409() {
            String id = signUpAndWait("fine@example.org").path("executionId").asText();
            Answer answer = operator("POST", "/executions/" + id + "/redrive", ADMIN_TOKEN);
            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().path("error").asText())
                    .isEqualTo("only a FAILED execution can be redriven; this one is SUCCEEDED");
            assertThat(operator("POST", "/executions/5f0c1a2b-0000-4000-8000-000000000000/redrive", ADMIN_TOKEN)
                    .status()).isEqualTo(404);
            assertThat(operator("GET", "/executions/" + id + "/redrive", ADMIN_TOKEN).status()).isEqualTo(405);
        }
    }

    /**
     * An organiser erases a person (their request to be forgotten, or a bot that got through): {@code POST
     * /members/forget} deletes their member record and every execution of theirs, those that later sign-ups replaced
     * included, and nothing of anyone else's; while their sign-up runs it refuses and deletes nothing.
     */
    @Nested
    class ForgetAPerson {

        Answer forget(String body, String contentType, String token) {
            HttpRequest.Builder request = HttpRequest.newBuilder(service.uri("/members/forget"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return service.send(request);
        }

        Answer forget(String email) {
            return forget("{\"email\":\"" + email + "\"}", "application/json", ADMIN_TOKEN);
        }

        Answer findByEmail(String email) {
            return find("{\"email\":\"" + email + "\"}", ADMIN_TOKEN);
        }

        @Test
        void forgets_the_member_and_every_execution_of_theirs_and_nobody_else() {
            String email = "fern.gotten@example.org";
            assertThat(signUpAndWait("kept@example.org").path("status").asText()).isEqualTo("SUCCEEDED");
            // Slack refuses twice: each failed sign-up is replaced by the next one, and kept as replaced
            slackRefusesInvites();
            List<String> ids = new ArrayList<>();
            ids.add(signUpAndWait(email).path("executionId").asText());
            ids.add(signUpAndWait(email).path("executionId").asText());
            upstreams.resetAll();
            Upstreams.answerNormally(upstreams);
            JsonNode last = signUpAndWait(email);
            assertThat(last.path("status").asText()).isEqualTo("SUCCEEDED");
            ids.add(last.path("executionId").asText());
            assertThat(ids).doesNotHaveDuplicates();
            int executionsBefore = service.executionItemCount();
            assertThat(service.member(email)).isNotEmpty();

            upstreams.stubFor(get(urlEqualTo("/api/3/contacts?email=fern.gotten%40example.org"))
                    .withHeader("Api-Token", equalTo("ac-durable-test-key"))
                    .willReturn(okJson("{\"contacts\":[{\"id\":\"42\",\"email\":\"" + email + "\"}]}")));
            upstreams.stubFor(delete(urlEqualTo("/api/3/contacts/42")).withHeader("Api-Token",
                    equalTo("ac-durable-test-key")).willReturn(okJson("{}")));
            try (LogCapture log = LogCapture.start()) {
                // as an organiser types it, from the person's e-mail
                Answer forgotten = forget(" Fern.Gotten@Example.org");

                assertThat(forgotten.status()).as(forgotten.body()).isEqualTo(200);
                assertThat(forgotten.json().path("email").asText()).isEqualTo(email);
                assertThat(forgotten.json().path("member").asBoolean()).isTrue();
                assertThat(forgotten.json().path("executions").asInt()).isEqualTo(3);
                assertThat(forgotten.json().path("activecampaign").asText()).isEqualTo("deleted");
                upstreams.verify(1, deleteRequestedFor(urlEqualTo("/api/3/contacts/42")));
                assertThat(forgotten.json().path("elsewhere").asText()).contains("Slack").doesNotContain("ActiveCampaign");
                assertThat(String.join("\n", log.messages())).contains("had a person forgotten")
                        .doesNotContainIgnoringCase(email);
            }
            assertThat(service.member(email)).isEmpty();
            for (String id : ids) {
                assertThat(service.get("/signup/" + id).status()).as(id).isEqualTo(404);
            }
            assertThat(findByEmail(email).json().path("executions")).isEmpty();
            assertThat(service.executionItemCount()).isEqualTo(executionsBefore - 3);
            assertThat(service.member("kept@example.org")).isNotEmpty();
            assertThat(findByEmail("kept@example.org").json().path("executions")).hasSize(1);

            // forgetting again finds nothing; the person may sign up again, afresh
            Answer again = forget(email);
            assertThat(again.json().path("member").asBoolean()).isFalse();
            assertThat(again.json().path("executions").asInt()).isZero();
            JsonNode fresh = signUpAndWait(email);
            assertThat(fresh.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(fresh.path("results").path("RecordDB").path("detail").asText()).isEqualTo("member added");
        }

        @Test
        void activecampaign_down_leaves_its_contact_and_says_so_and_the_person_is_forgotten_here() {
            String email = "crm-down@example.org";
            signUpAndWait(email);
            upstreams.stubFor(get(urlPathEqualTo("/api/3/contacts")).willReturn(aResponse().withStatus(503)
                    .withBody("<html>down for maintenance</html>")));

            Answer forgotten = forget(email);

            assertThat(forgotten.status()).isEqualTo(200);
            assertThat(forgotten.json().path("activecampaign").asText()).isEqualTo("not deleted: ActiveCampaign "
                    + "answered HTTP 503 when asked for the contact; delete it there");
            assertThat(forgotten.body()).doesNotContain("maintenance");
            assertThat(service.member(email)).isEmpty();
            upstreams.verify(0, deleteRequestedFor(urlPathMatching("/api/3/contacts/.*")));

            // a contact id that is not one is not used
            String other = "crm-odd@example.org";
            signUpAndWait(other);
            upstreams.stubFor(get(urlPathEqualTo("/api/3/contacts")).willReturn(okJson(
                    "{\"contacts\":[{\"id\":\"../../users/1\"}]}")));
            assertThat(forget(other).json().path("activecampaign").asText())
                    .isEqualTo("not deleted: ActiveCampaign's answer held no contact id; delete it there");
            // an answer that ignored the filter: the account's first contact, someone else's
            upstreams.stubFor(get(urlPathEqualTo("/api/3/contacts")).willReturn(okJson(
                    "{\"contacts\":[{\"id\":\"1\",\"email\":\"someone.else@example.org\"}]}")));
            assertThat(forget(other).json().path("activecampaign").asText())
                    .isEqualTo("not deleted: ActiveCampaign answered with another address's contact; delete it there");
            upstreams.stubFor(get(urlPathEqualTo("/api/3/contacts")).willReturn(aResponse().withStatus(200)
                    .withBody("<html>a login page</html>")));
            assertThat(forget(other).json().path("activecampaign").asText())
                    .isEqualTo("not deleted: ActiveCampaign's answer held no contact id; delete it there");
            upstreams.stubFor(get(urlPathEqualTo("/api/3/contacts")).willReturn(okJson("{\"contacts\":[]}")));
            assertThat(forget(other).json().path("activecampaign").asText())
                    .isEqualTo("none: ActiveCampaign has no contact with this address");
            upstreams.verify(0, deleteRequestedFor(urlPathMatching("/api/3/contacts/.*")));
        }

        @Test
        void a_sign_up_that_runs_is_not_forgotten_until_it_has_ended() {
            String email = "still-running@example.org";
            Upstreams.slackAnswersAfter(upstreams, 1500);
            Answer accepted = service.postJson("/signup", "{\"email\":\"" + email + "\"}");
            assertThat(accepted.status()).isEqualTo(202);
            String id = accepted.json().path("executionId").asText();

            Answer refused = forget(email);

            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("error").asText()).contains("running");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> service.get("/signup/" + id).json().path("status").asText().equals("SUCCEEDED"));
            assertThat(service.member(email)).as("the running sign-up went on").isNotEmpty();
            Answer forgotten = forget(email);
            assertThat(forgotten.status()).isEqualTo(200);
            assertThat(forgotten.json().path("executions").asInt()).isEqualTo(1);
            assertThat(service.get("/signup/" + id).status()).isEqualTo(404);
            assertThat(service.member(email)).isEmpty();
        }

        @Test
        void needs_the_operator_token_a_json_body_and_an_address() {
            signUpAndWait("guarded@example.org");
            String body = "{\"email\":\"guarded@example.org\"}";

            assertThat(forget(body, "application/json", null).status()).isEqualTo(401);
            assertThat(forget(body, "application/json", "not-the-token-" + ADMIN_TOKEN).status()).isEqualTo(401);
            assertThat(forget("email=guarded@example.org", "application/x-www-form-urlencoded", ADMIN_TOKEN).status())
                    .isEqualTo(415);
            assertThat(forget("{\"email\":", "application/json", ADMIN_TOKEN).status()).isEqualTo(400);
            Answer noAddress = forget("{\"name\":\"Guarded\"}", "application/json", ADMIN_TOKEN);
            assertThat(noAddress.status()).isEqualTo(400);
            assertThat(noAddress.json().path("fields").path("email").asText()).isEqualTo("is required");
            assertThat(forget("{\"email\":\"guarded\"}", "application/json", ADMIN_TOKEN).status()).isEqualTo(400);
            assertThat(operator("GET", "/members/forget", ADMIN_TOKEN).status()).isEqualTo(405);

            assertThat(service.member("guarded@example.org")).as("nothing was forgotten").isNotEmpty();
            assertThat(findByEmail("guarded@example.org").json().path("executions")).hasSize(1);
        }
    }

    /**
     * An organiser takes every member into a spreadsheet: {@code GET /members} answers CSV, page after page of the
     * members table, with what a visitor typed kept as text (a name a spreadsheet would run as a formula included).
     */
    @Nested
    class ExportMembers {

        List<String> export() {
            Answer csv = operator("GET", "/members", ADMIN_TOKEN);
            assertThat(csv.status()).as(csv.body()).isEqualTo(200);
            assertThat(csv.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
            assertThat(csv.header("Content-Disposition"))
                    .isEqualTo("attachment; filename=\"members-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                            + ".csv\"");
            assertThat(csv.body()).startsWith("\uFEFFemail,first_name,last_name,signed_up_at\r\n");
            return List.of(csv.body().substring(1).split("\r\n"));
        }

        @Test
        void every_member_is_a_row_what_they_typed_kept_as_text() {
            service.postJson("/signup?wait=true", "{\"email\":\"spreadsheet@example.org\",\"first_name\":"
                    + "\"=HYPERLINK(\\\"https://evil.example\\\",\\\"open\\\")\",\"last_name\":\"Zo\u00eb \\\"Q\\\", Jr\"}");
            String signedUpAt = service.member("spreadsheet@example.org").get("signed_up_at").s();

            assertThat(export()).contains("\"spreadsheet@example.org\",\"'=HYPERLINK(\"\"https://evil.example\"\","
                    + "\"\"open\"\")\",\"Zo\u00eb \"\"Q\"\", Jr\",\"" + signedUpAt + "\"");
        }

        @Test
        void a_community_larger_than_a_page_comes_whole() {
            String table = service.sameTables().get("dynamodb.table");
            List<String> emails = IntStream.range(0, 1100).mapToObj(i -> "crowd-" + i + "@example.org").toList();
            for (int from = 0; from < emails.size(); from += 25) {
                List<String> batch = emails.subList(from, Math.min(emails.size(), from + 25));
                Dynalite.client().batchWriteItem(b -> b.requestItems(Map.of(table, batch.stream()
                        .map(email -> WriteRequest.builder()
                                .putRequest(r -> r.item(Map.of("email", AttributeValue.fromS(email),
                                        "first_name", AttributeValue.fromS("Crowd"),
                                        "last_name", AttributeValue.fromS("Member"),
                                        "signed_up_at", AttributeValue.fromS("2026-12-01T10:00:00.000Z"))))
                                .build()).toList())));
            }

            List<String> rows = export();

            assertThat(rows).hasSize(1 + service.memberCount()).doesNotHaveDuplicates();
            // sent as the pages are read, never made whole first (which held every member in memory at once)
            assertThat(operator("GET", "/members", ADMIN_TOKEN).header("Content-Length")).isNull();
            assertThat(rows).filteredOn(row -> row.startsWith("\"crowd-")).hasSize(1100);
        }

        @Test
        void needs_the_operator_token() {
            assertThat(operator("GET", "/members", null).status()).isEqualTo(401);
            assertThat(operator("POST", "/members", ADMIN_TOKEN).status()).isEqualTo(405);
        }
    }
}
