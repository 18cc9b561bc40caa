package community.signup;

import java.util.Map;

/** A request the service will not act on: the HTTP status, a message, and what is wrong with which field. */
public class SignupRejected extends RuntimeException {

    private final int status;
    private final Map<String, String> fields;
    private String allowed;
    private long retryAfterSeconds;

    public SignupRejected(int status, String message, Map<String, String> fields) {
        super(message, null, false, false);
        this.status = status;
        this.fields = Map.copyOf(fields);
    }

    public SignupRejected(int status, String message) {
        this(status, message, Map.of());
    }

    /** Refuses with {@code 405} any method but the allowed ones (the first is the one named in the answer). */
    public static void requireMethod(org.apache.camel.Exchange exchange, String... allowed) {
        String method = exchange.getIn().getHeader(org.apache.camel.Exchange.HTTP_METHOD, String.class);
        if (!java.util.List.of(allowed).contains(method)) {
            throw methodNotAllowed(method, allowed[0]);
        }
    }

    /** {@code 405}, saying which methods the path takes. */
    public static SignupRejected methodNotAllowed(String method, String allowed) {
        SignupRejected rejected = new SignupRejected(405, method + " is not allowed here; use " + allowed);
        rejected.allowed = allowed;
        return rejected;
    }

    /** {@code 429}, saying how long to wait. */
    public static SignupRejected tooManyRequests(String message, long retryAfterSeconds) {
        return tryAgain(429, message, retryAfterSeconds);
    }

    /** {@code 503}: the service cannot take the sign-up now; saying how long to wait. */
    public static SignupRejected busy(String message, long retryAfterSeconds) {
        return tryAgain(503, message, retryAfterSeconds);
    }

    private static SignupRejected tryAgain(int status, String message, long retryAfterSeconds) {
        SignupRejected rejected = new SignupRejected(status, message);
        rejected.retryAfterSeconds = retryAfterSeconds;
        return rejected;
    }

    /** For a {@code 429} or {@code 503}: seconds to wait, else 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** For a {@code 405}: the methods the path takes. */
    public String allowed() {
        return allowed;
    }

    public int status() {
        return status;
    }

    public Map<String, String> fields() {
        return fields;
    }
}
