package community;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import community.testing.LogCapture;
import community.testing.RunningService;

/**
 * Behind a proxy that SIGNUP_TRUSTED_PROXIES does not name, every visitor comes from the proxy's address: the rate
 * limit counted them all as one client, so that an organiser's launch (a talk, a newsletter) turned most of its
 * visitors away with 429, and nothing said why. The log now says so once, with the line to set.
 */
class UnnamedProxyTest {

    static final String TOLD = "Requests come through a proxy at 127.0.0.1 (they carry X-Forwarded-For) that "
            + "SIGNUP_TRUSTED_PROXIES does not name: the per-client limits count every visitor behind it as one "
            + "client, and a busy minute turns them away with 429. Name it: SIGNUP_TRUSTED_PROXIES=127.0.0.1";

    static RunningService.Answer postFrom(RunningService service, String client, String email) {
        return service.send(HttpRequest.newBuilder(service.uri("/signup")).header("Content-Type", "application/json")
                .header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}")));
    }

    static List<String> told(LogCapture log) {
        return log.messages().stream().filter(line -> line.contains("does not name")).toList();
    }

    @Test
    void visitors_through_a_proxy_the_settings_do_not_name_are_one_client_and_the_log_says_so_once() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.rate-limit", "2");
        try (LogCapture log = LogCapture.start(); RunningService service = RunningService.start(settings)) {
            assertThat(postFrom(service, "203.0.113.1", "first@example.org").status()).isEqualTo(202);
            assertThat(postFrom(service, "203.0.113.2", "second@example.org").status()).isEqualTo(202);
            assertThat(postFrom(service, "203.0.113.3", "third@example.org").status())
                    .as("a third visitor, counted as the proxy").isEqualTo(429);

            assertThat(told(log)).containsExactly(TOLD);
        }
    }

    @Test
    void a_named_proxy_is_not_warned_of_and_its_visitors_are_counted_apart() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.rate-limit", "2");
        settings.put("signup.trusted-proxies", "127.0.0.1");
        try (LogCapture log = LogCapture.start(); RunningService service = RunningService.start(settings)) {
            for (int i = 1; i <= 3; i++) {
                assertThat(postFrom(service, "203.0.113." + i, "visitor" + i + "@example.org").status())
                        .isEqualTo(202);
            }
            assertThat(told(log)).isEmpty();
        }
    }
}
