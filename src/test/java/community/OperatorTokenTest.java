package community;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.RunningService.Answer;

/**
 * The operator token goes in the Authorization header, nowhere else; wrong ones are slowed down. This class's
 * service trusts 127.0.0.1 as a proxy, so that each test is a client of its own (X-Forwarded-For).
 */
class OperatorTokenTest {

    static final String TOKEN = "operator-token-for-the-header-only-0123456789";
    static RunningService service;

    @BeforeAll
    static void start() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.admin-token", TOKEN);
        settings.put("signup.trusted-proxies", "127.0.0.1");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static Answer list(String client, String query, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri("/executions" + query))
                .header("X-Forwarded-For", client).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return service.send(request);
    }

    @Test
    void the_token_in_the_header_opens_the_operator_api() {
        assertThat(list("192.0.2.10", "", "Bearer " + TOKEN).status()).isEqualTo(200);
    }

    @Test
    void a_token_in_the_query_string_or_a_form_field_is_not_accepted() {
        String inQuery = "?Authorization=" + URLEncoder.encode("Bearer " + TOKEN, StandardCharsets.UTF_8);
        assertThat(list("192.0.2.11", inQuery, null).status()).isEqualTo(401);

        Answer inForm = service.send(HttpRequest.newBuilder(
                service.uri("/executions/00000000-0000-4000-8000-000000000000/redrive"))
                .header("X-Forwarded-For", "192.0.2.11").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "Authorization=" + URLEncoder.encode("Bearer " + TOKEN, StandardCharsets.UTF_8))));
        assertThat(inForm.status()).isEqualTo(401);
    }

    @Test
    void repeated_wrong_tokens_make_the_client_wait_even_for_the_right_one_and_others_are_not_slowed() {
        for (int i = 0; i < 5; i++) {
            assertThat(list("192.0.2.12", "", "Bearer wrong-guess-" + i).status()).isEqualTo(401);
        }
        Answer waiting = list("192.0.2.12", "", "Bearer " + TOKEN);
        assertThat(waiting.status()).isEqualTo(429);
        assertThat(Integer.parseInt(waiting.header("Retry-After"))).isBetween(1, 2);
        assertThat(waiting.json().path("error").asText()).startsWith("too many wrong operator tokens");

        assertThat(list("192.0.2.13", "", "Bearer " + TOKEN).status()).as("another client").isEqualTo(200);
    }

    @Test
    void guesses_sent_all_at_once_get_no_more_tries_than_guesses_sent_one_by_one() {
        ExecutorService senders = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Answer>> guesses = IntStream.range(0, 20).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return list("192.0.2.14", "", "Bearer parallel-guess-" + i);
                }, senders)).toList();
        go.countDown();
        List<Integer> statuses = guesses.stream().map(guess -> guess.join().status()).toList();
        senders.shutdown();

        // five free tries, and (should the burst outlast the first one-second wait) one more after it
        assertThat(statuses.stream().filter(status -> status == 401).count()).isBetween(5L, 6L);
        assertThat(statuses).containsOnly(401, 429);
    }
}
