package community.signup;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * Reads a sign-up from an HTTP request: JSON {@code {"email", "first_name", "last_name"}} or {@code {"name", "email"}},
 * the same wrapped as {@code {"body": {...}}} (the original form's shape), or a urlencoded form with the same field
 * names. Anything else is rejected with the status DESIGN.md gives, before anything is stored or sent.
 */
public class SignupRequests {

    public static final int MAX_BODY_BYTES = 16 * 1024;

    /** The hidden field that people never see and form-filling bots fill in. */
    public static class HoneypotFilled extends RuntimeException {
        HoneypotFilled() {
            super("honeypot", null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public SignupRequest read(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "POST");
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
        String honeypot = fields.get("website");
        if (honeypot != null && !honeypot.isBlank()) {
            throw new HoneypotFilled();
        }
        String captcha = fields.getOrDefault("captcha",
                fields.getOrDefault("cf-turnstile-response", fields.get("h-captcha-response")));
        if (captcha != null) {
            exchange.setProperty("captcha", captcha);
        }
        String first = fields.get("first_name");
        String last = fields.get("last_name");
        String name = fields.get("name");
        if (first == null && last == null && name != null) {
            String trimmed = name.strip();
            int space = trimmed.indexOf(' ');
            first = space < 0 ? trimmed : trimmed.substring(0, space);
            last = space < 0 ? "" : trimmed.substring(space + 1);
        }
        return SignupValidation.validate(fields.get("email"), first, last);
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
        for (String field : new String[] { "email", "first_name", "last_name", "name", "website", "captcha" }) {
            JsonNode value = root.get(field);
            if (value == null || value.isNull()) {
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
