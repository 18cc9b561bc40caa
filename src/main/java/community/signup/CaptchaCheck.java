package community.signup;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional CAPTCHA: Cloudflare Turnstile or hCaptcha, verified server-side with the provider's siteverify
 * API when a site key and a secret are configured. Without them, nothing is checked and nothing is rendered.
 */
public class CaptchaCheck {

    private static final Logger LOG = LoggerFactory.getLogger(CaptchaCheck.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> VERIFY = Map.of(
            "turnstile", "https://challenges.cloudflare.com/turnstile/v0/siteverify",
            "hcaptcha", "https://api.hcaptcha.com/siteverify");

    private final String provider;
    private final String siteKey;
    private final String secret;
    private final URI verifyUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public CaptchaCheck(String provider, String siteKey, String secret, String verifyUrl) {
        this.provider = provider == null || provider.isBlank() ? "turnstile" : provider.strip().toLowerCase();
        this.siteKey = siteKey == null || siteKey.isBlank() ? null : siteKey.strip();
        this.secret = secret == null || secret.isBlank() ? null : secret.strip();
        if (!VERIFY.containsKey(this.provider)) {
            throw new IllegalArgumentException("signup.captcha must be turnstile or hcaptcha, not " + provider);
        }
        this.verifyUrl = URI.create(verifyUrl == null || verifyUrl.isBlank() ? VERIFY.get(this.provider) : verifyUrl);
    }

    public boolean enabled() {
        return siteKey != null && secret != null;
    }

    public String provider() {
        return provider;
    }

    public String siteKey() {
        return siteKey;
    }

    /** After the request is read (its token is in the exchange property {@code captcha}). */
    public void verify(Exchange exchange) {
        if (!enabled()) {
            return;
        }
        String token = exchange.getProperty("captcha", String.class);
        if (token == null || token.isBlank()) {
            throw rejected("please complete the CAPTCHA");
        }
        String form = "secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)
                + "&response=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(verifyUrl).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode result = JSON.readTree(answer.body());
            if (!result.path("success").asBoolean(false)) {
                throw rejected("the CAPTCHA was not accepted; please try again");
            }
        } catch (IOException e) {
            LOG.warn("Could not reach the {} verification: {}", provider, e.getMessage());
            throw new SignupRejected(503, "the CAPTCHA could not be checked right now; please try again in a minute");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignupRejected(503, "the CAPTCHA could not be checked right now");
        }
    }

    private static SignupRejected rejected(String why) {
        return new SignupRejected(400, "the CAPTCHA check failed", Map.of("captcha", why));
    }
}
