package community.signup;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import org.apache.camel.Exchange;

/**
 * Reads a sign-up from an HTTP request: JSON {@code {"email", "first_name", "last_name"}} or {@code {"name", "email"}},
 * the same wrapped as {@code {"body": {...}}} (the original form's shape), or a urlencoded form with the same field
 * names. Anything else is rejected with the status DESIGN.md gives, before anything is stored or sent.
 */
public class SignupRequests {

    public static final int MAX_BODY_BYTES = 16 * 1024;

    /** The hidden field that people never see and form-filling bots fill in; the sign-up was otherwise valid. */
    public static class HoneypotFilled extends RuntimeException {
        private final SignupRequest request;

        HoneypotFilled(SignupRequest request) {
            super("honeypot", null, false, false);
            this.request = request;
        }

        public SignupRequest request() {
            return request;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Jackson's words for a field given twice (STRICT_DUPLICATE_DETECTION). */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(\\w+)'");

    private final Set<String> corsOrigins;
    private final boolean cocRequired;

    /**
     * @param corsOrigins the other sites whose pages may post sign-ups ({@code SIGNUP_CORS_ORIGINS})
     * @param cocRequired whether a sign-up must accept the code of conduct ({@code SIGNUP_COC_URL} is set)
     */
    public SignupRequests(Set<String> corsOrigins, boolean cocRequired) {
        this.corsOrigins = Set.copyOf(corsOrigins);
        this.cocRequired = cocRequired;
    }

    public SignupRequest read(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "POST");
        refuseCrossSite(exchange);
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, "", String.class)
                .toLowerCase(Locale.ROOT);
        Long declaredLength = exchange.getIn().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (declaredLength != null && declaredLength > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        Map<String, String> fields;
        if (mediaType(contentType).equals("application/json") || mediaType(contentType).endsWith("+json")) {
            requireUtf8Charset(contentType);
            fields = fromJson(utf8(bytes(exchange)));
        } else if (mediaType(contentType).equals("application/x-www-form-urlencoded")) {
            requireUtf8Charset(contentType);
            // The HTTP server has already decoded the form into a map; a raw body is decoded here.
            fields = exchange.getIn().getBody() instanceof Map<?, ?> form ? fromForm(form)
                    : fromForm(utf8(bytes(exchange)));
        } else {
            throw new SignupRejected(415,
                    "send the sign-up as application/json or application/x-www-form-urlencoded");
        }
        String captcha = fields.getOrDefault("captcha",
                fields.getOrDefault("cf-turnstile-response", fields.get("h-captcha-response")));
        if (captcha != null) {
            exchange.setProperty("captcha", captcha);
        }
        boolean cocMissing = cocRequired && !"true".equals(fields.get("coc")) && !"on".equals(fields.get("coc"));
        String first = fields.get("first_name");
        String last = fields.get("last_name");
        String name = fields.get("name");
        boolean oneName = first == null && last == null && name != null;
        if (oneName) {
            String trimmed = name.strip();
            int space = trimmed.indexOf(' ');
            first = space < 0 ? trimmed : trimmed.substring(0, space);
            last = space < 0 ? "" : trimmed.substring(space + 1);
        }
        SignupRequest request;
        try {
            request = SignupValidation.validate(fields.get("email"), first, last, oneName ? "name" : null);
        } catch (SignupRejected invalid) {
            // every field's problem at once: a visitor put one right only to be told of the next
            throw cocMissing ? new SignupRejected(400, invalid.getMessage(), withCoc(invalid.fields())) : invalid;
        }
        if (cocMissing) {
            throw new SignupRejected(400, "the sign-up has invalid fields", withCoc(Map.of()));
        }
        // checked last, so that a bot's invalid sign-up is refused as anyone's would be
        String honeypot = fields.get("website");
        if (honeypot != null && !honeypot.isBlank()) {
            throw new HoneypotFilled(request);
        }
        return request;
    }

    private static Map<String, String> withCoc(Map<String, String> problems) {
        Map<String, String> all = new LinkedHashMap<>(problems);
        all.put("coc", "the code of conduct must be accepted");
        return all;
    }

    /**
     * A post from another site's page is refused: no page elsewhere can make its visitors' browsers sign up (a
     * plain form post needs no CORS preflight). Browsers say where a request comes from in {@code Sec-Fetch-Site}
     * and {@code Origin}, read from the HTTP request itself; a client that sends neither (curl, a server) is no
     * visitor's browser. The sites of {@code SIGNUP_CORS_ORIGINS} may post.
     */
    private void refuseCrossSite(Exchange exchange) {
        HttpServerRequest request = ClientAddresses.request(exchange);
        String origin = request.getHeader("Origin");
        if (origin != null && corsOrigins.contains(origin)) {
            return;
        }
        // A browser that sends Sec-Fetch-Site says where the request comes from, and no page can forge it: only
        // this service's own pages ("same-origin") or the visitor's own doing ("none": a bookmark, the address bar).
        // Older browsers send only Origin.
        String site = request.getHeader("Sec-Fetch-Site");
        boolean foreign = site != null ? !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")
                : origin != null && !sameOrigin(origin, request);
        if (foreign) {
            throw new SignupRejected(403, "sign-ups from another site's page are not accepted here");
        }
    }

    private static boolean sameOrigin(String origin, HttpServerRequest request) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false; // "null" (a sandboxed frame, a privacy redirect) and anything else that is not an origin
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        int defaultPort = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        // the Host header of HTTP/1.1, the :authority of HTTP/2
        HostAndPort authority = request.authority();
        return authority != null && authority.host().equalsIgnoreCase(uri.getHost())
                && (authority.port() >= 0 ? authority.port() : defaultPort)
                        == (uri.getPort() >= 0 ? uri.getPort() : defaultPort);
    }

    private static byte[] bytes(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return body == null ? new byte[0] : body;
    }

    private static SignupRejected tooLarge() {
        return new SignupRejected(413, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
    }

    private static Map<String, String> fromForm(Map<?, ?> form) {
        Map<String, String> fields = new HashMap<>();
        int size = 0;
        for (Map.Entry<?, ?> field : form.entrySet()) {
            String name = String.valueOf(field.getKey());
            if (field.getValue() instanceof Iterable<?> && isSignupField(name)) {
                throw new SignupRejected(400, "the sign-up has invalid fields", Map.of(name, "is given twice"));
            }
            String value = String.valueOf(field.getValue());
            size += name.length() + value.length() + 2;
            fields.put(name, value);
        }
        if (size > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return fields;
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    }

    private static void requireUtf8Charset(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.startsWith("charset=")) {
                String charset = p.substring("charset=".length()).replace("\"", "").strip();
                if (!charset.equals("utf-8") && !charset.equals("utf8") && !charset.equals("us-ascii")) {
                    throw new SignupRejected(415, "only the UTF-8 charset is accepted, not " + charset);
                }
            }
        }
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new SignupRejected(400, "the request body is not valid UTF-8");
        }
    }

    private static Map<String, String> fromJson(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (StreamReadException e) {
            // a field given twice is valid JSON, which says only that names should be unique: which one to take is
            // the question, and the answer names the field, as it does for a form
            Matcher twice = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
            if (twice.matches() && isSignupField(twice.group(1))) {
                throw new SignupRejected(400, "the sign-up has invalid fields", Map.of(twice.group(1), "is given twice"));
            }
            throw new SignupRejected(400, "the request body is not valid JSON");
        } catch (Exception e) {
            throw new SignupRejected(400, "the request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new SignupRejected(400, "the request body must be a JSON object");
        }
        JsonNode wrapped = root.get("body");
        if (!root.has("email") && wrapped != null && wrapped.isTextual()) {
            try {
                wrapped = JSON.readTree(wrapped.asText());
            } catch (Exception e) {
                throw new SignupRejected(400, "the \"body\" field is not valid JSON");
            }
        }
        if (!root.has("email") && wrapped != null && wrapped.isObject()) {
            root = wrapped;
        }
        Map<String, String> fields = new HashMap<>();
        Map<String, String> wrongTypes = new LinkedHashMap<>();
        for (String field : new String[] { "email", "first_name", "last_name", "name", "website", "captcha", "coc" }) {
            JsonNode value = root.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (field.equals("coc") && value.isBoolean()) {
                fields.put(field, value.asText());
                continue;
            }
            if (!value.isTextual()) {
                wrongTypes.put(field, "must be a string");
            } else {
                fields.put(field, value.asText());
            }
        }
        if (!wrongTypes.isEmpty()) {
            throw new SignupRejected(400, "the sign-up has invalid fields", wrongTypes);
        }
        return fields;
    }

    private static Map<String, String> fromForm(String text) {
        Map<String, String> fields = new HashMap<>();
        if (text.isBlank()) {
            return fields;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (fields.putIfAbsent(name, value) != null && isSignupField(name)) {
                throw new SignupRejected(400, "the sign-up has invalid fields", Map.of(name, "is given twice"));
            }
        }
        return fields;
    }

    private static boolean isSignupField(String name) {
        return name.equals("email") || name.equals("first_name") || name.equals("last_name") || name.equals("name");
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SignupRejected(400, "the form body is not valid urlencoded text");
        }
    }
}
