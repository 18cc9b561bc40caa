package community.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

import community.execution.Json;
import community.execution.Step;
import community.execution.Steps;
import community.signup.CaptchaCheck;
import community.signup.SignupRejected;

/**
 * The sign-up page at {@code /} and its assets. Self-contained (no CDN, no external fonts or scripts) and
 * served under a strict Content-Security-Policy; the workspace's name, accent colour and code of conduct come
 * from configuration. Without JavaScript the same form posts urlencoded and lands on the status page.
 */
public class SignupPage {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    /** The page's ink and background, as in signup.css. */
    static final String INK = "#1d1d1f";
    static final String PAGE = "#fafafa";
    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Map<String, String> PAGES = new ConcurrentHashMap<>();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    /** What every page's head links to: its icon, the accent's theme and the style sheet. */
    private static final String HEAD_LINKS = "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.ico\">"
            + "<link rel=\"stylesheet\" href=\"/assets/theme.css\"><link rel=\"stylesheet\" href=\"/assets/signup.css\">";

    private static final Map<String, String> ASSETS = Map.of("signup.css", "text/css; charset=utf-8",
            "signup.js", "text/javascript; charset=utf-8", "admin.js", "text/javascript; charset=utf-8");

    private final String title;
    private final String accent;
    private final String cocUrl;
    /** Where the community says what it keeps about people and why (SIGNUP_PRIVACY_URL), linked below the button. */
    private final String privacyUrl;
    /** What the form promises, by what is configured ({@link #promise}). */
    private final Promise promise;
    private final AlreadySignedUp repeat;
    private final String favicon;
    private final Steps steps;
    private volatile Rendered rendered;

    private final CaptchaCheck captcha;
    private final String csp;
    private final String visitorPagesCsp;

    /** The pages as made for the steps the routes had then; made again when an edit changes them. */
    private record Rendered(List<Step> steps, String page, String dashboard) {
    }

    /**
     * @param framers the sites whose pages may show the form and the status pages in a frame (SIGNUP_CORS_ORIGINS:
     *        the sites that may post sign-ups may also embed the form); no other site can, against clickjacking
     */
    public SignupPage(String title, String accent, String cocUrl, String privacyUrl, Promise promise,
            AlreadySignedUp repeat, CaptchaCheck captcha, Steps steps, List<String> framers) {
        this.captcha = captcha;
        this.steps = steps;
        this.visitorPagesCsp = framers.isEmpty() ? CSP
                : CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self' " + String.join(" ", framers));
        // the CAPTCHA provider's script and frame are the only third parties, and only when configured
        String origin = !captcha.enabled() ? "" : captcha.provider().equals("hcaptcha")
                ? " https://js.hcaptcha.com https://*.hcaptcha.com" : " https://challenges.cloudflare.com";
        this.csp = visitorPagesCsp.replace("script-src 'self'", "script-src 'self'" + origin)
                .replace("connect-src 'self'", "connect-src 'self'" + origin)
                + (origin.isEmpty() ? "" : "; frame-src" + origin);
        this.title = title == null || title.isBlank() ? "our community" : title.strip();
        this.accent = accent != null && isColour(accent.strip()) ? accent.strip() : "#4a154b";
        this.cocUrl = cocUrl == null || cocUrl.isBlank() ? null : cocUrl.strip();
        this.privacyUrl = privacyUrl == null || privacyUrl.isBlank() ? null : privacyUrl.strip();
        this.promise = promise;
        this.repeat = repeat;
        this.favicon = favicon(this.accent);
    }

    /**
     * What the form promises, by what is configured: the sentence above it and its button. They had promised an
     * invite to the Slack workspace and news whatever was set, so a newsletter's form (invites off) promised an
     * invite that never came, and one without ActiveCampaign news that no one would send. And what a visitor whose
     * sign-up FAILED is told to do: nothing, when the organisers hear of each failure (they redrive it); else try
     * again, or write quoting the reference.
     *
     * @param inviteMode InviteSlack's mode: legacy, admin, link or none
     * @param approval whether an organiser approves each invite first (SIGNUP_APPROVAL)
     * @param mail whether the invite link goes by e-mail too (SIGNUP_MAIL_URL)
     * @param news whether RecordAC puts the person in ActiveCampaign (its URL and key are set)
     * @param organisersTold whether a failed sign-up is told to the organisers (SLACK_NOTIFY_FAILURES with a webhook)
     */
    public static Promise promise(String inviteMode, boolean approval, boolean mail, boolean news,
            boolean organisersTold) {
        String afterFailure = organisersTold
                ? "The organisers have been told and will put it right: you need not sign up again. Your reference: "
                        + "{reference}."
                : "Please try again later, or write to us quoting {reference}.";
        String invite = inviteMode.equals("none") ? null
                : approval ? "an organiser will look at your request, then you will get an invite to our Slack "
                        + "workspace by e-mail"
                : inviteMode.equals("link") ? "you will get the link to join our Slack workspace"
                        + (mail ? " here and by e-mail" : " here")
                : "we will send you an invite to our Slack workspace";
        if (invite == null) {
            return new Promise(news ? "Leave your name and e-mail, and we will keep you posted."
                    : "Leave your name and e-mail to sign up.", "Sign me up", afterFailure);
        }
        return new Promise("Leave your name and e-mail: " + invite + (news ? ", and we will keep you posted." : "."),
                inviteMode.equals("link") && !approval ? "Get my invite link" : "Request my invite", afterFailure);
    }

    /**
     * The form's sentence above it, its button's words, and what follows "Sorry, something went wrong while …" on
     * a failed sign-up's page ({@code {reference}} there is the execution's id).
     */
    public record Promise(String lede, String button, String afterFailure) {
    }

    /** The Content-Security-Policy of the pages a visitor lands on after the form (the status pages). */
    public String visitorPagesCsp() {
        return visitorPagesCsp;
    }

    /** The operator dashboard: a shell that admin.js fills from the operator API. */
    public void admin(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "GET", "HEAD");
        answer(exchange, "text/html; charset=utf-8", rendered().dashboard());
    }

    private Rendered rendered() {
        List<Step> now = steps.list();
        Rendered pages = rendered;
        if (pages == null || !pages.steps().equals(now)) {
            pages = new Rendered(now, render(now), renderDashboard(now));
            rendered = pages;
        }
        return pages;
    }

    /** The steps, their names and a visitor's words for them, as the pages' scripts read them. */
    private static String stepsAttribute(List<Step> steps) {
        try {
            return ExecutionPages.escape(Json.PLAIN.writeValueAsString(steps.stream()
                    .map(step -> Map.of("name", step.name(), "label", step.label(), "done", step.doneWords(),
                            "shown", step.shown()))
                    .toList()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String renderDashboard(List<Step> steps) {
        StringBuilder columns = new StringBuilder();
        steps.forEach(step -> columns.append("<th data-step=\"").append(ExecutionPages.escape(step.name()))
                .append("\" title=\"").append(ExecutionPages.escape(step.label())).append("\">")
                .append(ExecutionPages.escape(step.name())).append("</th>"));
        return fill("dashboard.html", Map.of("title", ExecutionPages.escape(title), "columns", columns.toString()));
    }

    /** A colour the pages can take as their accent: #rrggbb. */
    public static boolean isColour(String value) {
        return COLOUR.matcher(value).matches();
    }

    /** The accent colour in effect: the configured one when it is a #rrggbb colour, else the default. */
    public String accent() {
        return accent;
    }

    public void page(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "GET", "HEAD");
        answer(exchange, "text/html; charset=utf-8", rendered().page());
        exchange.getMessage().setHeader("Content-Security-Policy", csp);
    }

    /** The icon browsers ask for with every page: the accent's colour with a tick, as SVG. */
    public void favicon(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "GET", "HEAD");
        answer(exchange, "image/svg+xml", favicon);
        cacheControl(exchange, "public, max-age=86400");
    }

    static String favicon(String accent) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">"
                + "<rect width=\"32\" height=\"32\" rx=\"7\" fill=\"" + accent + "\"/>"
                + "<path d=\"M9 16.5l4.5 4.5L23 11\" fill=\"none\" stroke=\"" + onAccent(accent) + "\" "
                + "stroke-width=\"3.5\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>\n";
    }

    public void asset(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "GET", "HEAD");
        String file = exchange.getIn().getHeader("file", "", String.class);
        if (file.equals("theme.css")) {
            answer(exchange, "text/css; charset=utf-8", theme(accent));
            return;
        }
        String type = ASSETS.get(file);
        if (type == null) {
            throw new SignupRejected(404, "there is nothing at /assets/" + file);
        }
        answer(exchange, type, resource("/web/assets/" + file));
    }

    private String render(List<Step> steps) {
        String coc = cocUrl == null ? "" : "<label class=\"check\" for=\"coc\"><input type=\"checkbox\" id=\"coc\" "
                + "name=\"coc\" value=\"true\" required aria-describedby=\"coc-error\"> <span>I have read and accept "
                + "the <a href=\"" + ExecutionPages.escape(cocUrl) + "\">code of conduct</a>.</span></label>\n"
                + "<p class=\"error\" id=\"coc-error\" role=\"alert\"></p>\n";
        String widget = "";
        if (captcha.enabled()) {
            boolean hcaptcha = captcha.provider().equals("hcaptcha");
            widget = "<div class=\"" + (hcaptcha ? "h-captcha" : "cf-turnstile") + "\" data-sitekey=\""
                    + ExecutionPages.escape(captcha.siteKey()) + "\"></div>\n"
                    + "<p class=\"error\" id=\"captcha-error\" role=\"alert\"></p>\n<script src=\""
                    + (hcaptcha ? "https://js.hcaptcha.com/1/api.js" : "https://challenges.cloudflare.com/turnstile/v0/api.js")
                    + "\" async defer></script>\n";
        }
        String privacy = privacyUrl == null ? "" : "<p class=\"small\" id=\"privacy\">What we keep about you, and "
                + "why: our <a href=\"" + ExecutionPages.escape(privacyUrl) + "\">privacy notice</a>.</p>\n";
        return fill("signup.html", Map.ofEntries(Map.entry("title", ExecutionPages.escape(title)),
                Map.entry("signin", ExecutionPages.escape(repeat.signInUrl())),
                Map.entry("repeat", ExecutionPages.escape(repeat.words())),
                Map.entry("repeatLink", ExecutionPages.escape(repeat.link())),
                Map.entry("repeatInvite", ExecutionPages.escape(repeat.inviteWords())), Map.entry("coc", coc),
                Map.entry("captcha", widget), Map.entry("steps", stepsAttribute(steps)),
                Map.entry("lede", ExecutionPages.escape(promise.lede())),
                Map.entry("button", ExecutionPages.escape(promise.button())),
                Map.entry("afterFailure", ExecutionPages.escape(promise.afterFailure())), Map.entry("privacy", privacy)));
    }

    /**
     * A page of {@code web/} with its {@code {{name}}}s replaced by the values given (HTML already) and
     * {@code {{head}}} by what every page's head links to, in one pass: a value is never read for names.
     */
    static String fill(String page, Map<String, String> values) {
        return PLACEHOLDER.matcher(PAGES.computeIfAbsent(page, name -> resource("/web/" + name))).replaceAll(name -> Matcher.quoteReplacement(
                name.group(1).equals("head") ? HEAD_LINKS : values.get(name.group(1))));
    }

    private static String resource(String path) {
        try (InputStream in = SignupPage.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The accent colour and what goes with it: the button's text in whichever of black and white contrasts more
     * with it (one of the two always reaches WCAG's 4.5:1), and the focus ring in the accent only where it
     * stands out from the page (3:1, WCAG's figure for what is not text), else in the ink colour.
     */
    static String theme(String accent) {
        String focus = contrast(luminance(accent), luminance(PAGE)) >= 3 ? accent : INK;
        return ":root { --accent: " + accent + "; --on-accent: " + onAccent(accent) + "; --focus: " + focus + "; }\n";
    }

    /**
     * The colour for text on the accent: black or white, whichever contrasts more with it (black, not the ink:
     * against a mid-grey neither the ink nor white would reach 4.5:1).
     */
    static String onAccent(String accent) {
        double light = luminance(accent);
        return contrast(light, 0.0) >= contrast(light, 1.0) ? "#000" : "#fff";
    }

    /** WCAG 2's contrast ratio between two relative luminances. */
    static double contrast(double a, double b) {
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    /** WCAG 2's relative luminance of a #rrggbb colour. */
    static double luminance(String colour) {
        int rgb = Integer.parseInt(colour.substring(1), 16);
        return 0.2126 * linear(rgb >> 16) + 0.7152 * linear(rgb >> 8) + 0.0722 * linear(rgb);
    }

    private static double linear(int channel) {
        double c = (channel & 0xff) / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    static void answer(Exchange exchange, String type, String body) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
        exchange.getMessage().setHeader("Content-Security-Policy", CSP);
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        // no referrer to other sites; the page's own posts carry its Origin (with no-referrer a browser sends
        // "Origin: null", and the sign-up route could not tell the page from another site's)
        exchange.getMessage().setHeader("Referrer-Policy", "same-origin");
        cacheControl(exchange, "no-cache");
        exchange.getMessage().setBody(body);
    }

    /**
     * Camel's HTTP header filter drops Cache-Control from a message's headers, so it goes straight onto the
     * Vert.x response.
     */
    static void cacheControl(Exchange exchange, String value) {
        if (exchange.getIn() instanceof HttpMessage http && http.getResponse() != null) {
            http.getResponse().putHeader("Cache-Control", value);
        }
    }
}
