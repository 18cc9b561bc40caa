package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.RunningService.Answer;

/** With a CAPTCHA configured (Turnstile here, WireMock as its siteverify API), sign-ups need a token it accepts. */
class CaptchaTest {

    static final WireMockServer turnstile = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        turnstile.start();
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.captcha", "turnstile");
        settings.put("signup.captcha-site-key", "0x4AAAA-site-key");
        settings.put("signup.captcha-secret", "0x4AAAA-secret-key-1357");
        settings.put("signup.captcha-verify-url", turnstile.baseUrl() + "/turnstile/v0/siteverify");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        turnstile.stop();
    }

    @BeforeEach
    void reset() {
        turnstile.resetAll();
        turnstile.stubFor(post(urlEqualTo("/turnstile/v0/siteverify"))
                .withRequestBody(containing("response=good-token")).willReturn(okJson("{\"success\":true}")));
        turnstile.stubFor(post(urlEqualTo("/turnstile/v0/siteverify"))
                .withRequestBody(containing("response=bad-token"))
                .willReturn(okJson("{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}")));
    }

    @Test
    void the_page_renders_the_widget_and_its_csp_allows_only_that_provider() {
        Answer page = service.get("/");
        assertThat(page.body()).contains("class=\"cf-turnstile\" data-sitekey=\"0x4AAAA-site-key\"")
                .contains("https://challenges.cloudflare.com/turnstile/v0/api.js").doesNotContain("secret");
        assertThat(page.header("Content-Security-Policy"))
                .contains("script-src 'self' https://challenges.cloudflare.com")
                .contains("frame-src https://challenges.cloudflare.com");
    }

    @Test
    void a_sign_up_without_a_token_or_with_a_refused_one_is_a_400_and_nothing_is_stored() {
        int before = service.executionItemCount();
        Answer missing = service.postJson("/signup", "{\"email\":\"nocaptcha@example.org\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("fields").path("captcha").asText()).isEqualTo("please complete the CAPTCHA");

        Answer refused = service.postJson("/signup", "{\"email\":\"robot@example.org\",\"captcha\":\"bad-token\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("fields").path("captcha").asText())
                .isEqualTo("the CAPTCHA was not accepted; please try again");
        assertThat(service.executionItemCount()).isEqualTo(before);
    }

    @Test
    void a_sign_up_with_an_accepted_token_goes_through_and_the_secret_stays_server_side() {
        Answer accepted = service.send(HttpRequest.newBuilder(service.uri("/signup"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .header("Cookie", "visitor=private-cookie").header("X-Visitor-Note", "private-note")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "email=human%40example.org&name=Hu+Man&cf-turnstile-response=good-token")));

        assertThat(accepted.status()).isEqualTo(202);
        turnstile.verify(1, postRequestedFor(urlEqualTo("/turnstile/v0/siteverify"))
                .withRequestBody(containing("secret=0x4AAAA-secret-key-1357"))
                .withRequestBody(containing("response=good-token")));
        // the check goes out on its own: nothing of the person's request (cookies, headers) reaches the provider
        LoggedRequest check = turnstile.findAll(postRequestedFor(urlEqualTo("/turnstile/v0/siteverify"))).get(0);
        assertThat(check.containsHeader("Cookie")).isFalse();
        assertThat(check.containsHeader("X-Visitor-Note")).isFalse();
        assertThat(check.getBodyAsString()).doesNotContain("human");
    }

    @Test
    void a_provider_that_cannot_be_reached_or_fails_is_a_503_and_nothing_is_stored() {
        turnstile.stubFor(post(urlEqualTo("/turnstile/v0/siteverify"))
                .withRequestBody(containing("response=busy-token")).willReturn(aResponse().withStatus(502)));
        turnstile.stubFor(post(urlEqualTo("/turnstile/v0/siteverify"))
                .withRequestBody(containing("response=reset-token"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        int before = service.executionItemCount();

        for (String token : new String[] { "busy-token", "reset-token" }) {
            Answer answer = service.postJson("/signup",
                    "{\"email\":\"waiting@example.org\",\"captcha\":\"" + token + "\"}");
            assertThat(answer.status()).as(token).isEqualTo(503);
            assertThat(answer.json().path("error").asText()).as(token)
                    .isEqualTo("the CAPTCHA could not be checked right now; please try again in a minute");
        }
        assertThat(service.executionItemCount()).isEqualTo(before);
    }
}
