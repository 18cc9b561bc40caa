package community.signup;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional CAPTCHA: Cloudflare Turnstile or hCaptcha, verified server-side with the provider's siteverify
 * API when a site key and a secret are configured (the route verify-captcha calls it). Without them, nothing is
 * checked and nothing is rendered.
 */
public class CaptchaCheck {

    private static final Logger LOG = LoggerFactory.getLogger(CaptchaCheck.class);
    private static final Map<String, String> VERIFY = Map.of(
            "turnstile", "https://challenges.cloudflare.com/turnstile/v0/siteverify",
            "hcaptcha", "https://api.hcaptcha.com/siteverify");

    private final String provider;
    private final String siteKey;
    private final String secret;
    private final URI verifyUrl;

    public CaptchaCheck(String provider, String siteKey, String secret, String verifyUrl) {
        this.provider = provider == null || provider.isBlank() ? "turnstile" : provider.strip().toLowerCase();
        this.siteKey = siteKey == null || siteKey.isBlank() ? null : siteKey.strip();
        this.secret = secret == null || secret.isBlank() ? null : secret.strip();
        if (!VERIFY.containsKey(this.provider)) {
            throw new IllegalArgumentException("signup.captcha must be turnstile or hcaptcha, not " + provider);
        }
        this.verifyUrl = URI.create(verifyUrl == null || verifyUrl.isBlank() ? VERIFY.get(this.provider) : verifyUrl);
    }

    /** A provider this check knows, by its setting's name (turnstile, hcaptcha). */
    public static boolean isProvider(String name) {
        return VERIFY.containsKey(name);
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

    public String verifyUrl() {
        return verifyUrl.toString();
    }

    /** The siteverify form, once the request is read (its token is in the exchange property {@code captcha}). */
    public String form(Exchange exchange) {
        String token = exchange.getProperty("captcha", String.class);
        if (token == null || token.isBlank()) {
            throw rejected("please complete the CAPTCHA");
        }
        return "secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)
                + "&response=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** The provider said no. */
    public void refused(Exchange exchange) {
        throw rejected("the CAPTCHA was not accepted; please try again");
    }

    /** The provider could not be reached, or failed: the person may try again shortly. */
    public void unreachable(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("Could not check a CAPTCHA with {}: {}", provider, caught != null ? caught.getMessage()
                : "it answered HTTP " + exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE));
        throw new SignupRejected(503, "the CAPTCHA could not be checked right now; please try again in a minute");
    }

    private static SignupRejected rejected(String why) {
        return new SignupRejected(400, "the CAPTCHA check failed", Map.of("captcha", why));
    }
}
