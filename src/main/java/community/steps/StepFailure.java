package community.steps;

import java.util.regex.Pattern;

/**
 * An upstream's answer that means the attempt failed: {@code error} is the short stable code that goes into the
 * execution document, the message says what the upstream answered. Retryable failures are tried again under the
 * step's policy, after {@code retryAfterMillis} when the upstream said how long to wait.
 */
public class StepFailure extends RuntimeException {

    /**
     * What an error code must look like to be kept (DESIGN.md, Secrets): Slack's own are snake_case, ours
     * CamelCase; neither can carry a token, which has digits or hyphens.
     */
    private static final Pattern SHORT_CODE = Pattern.compile("[A-Za-z_]{1,64}");

    private final String error;
    private final boolean retryable;
    private final Long retryAfterMillis;

    public StepFailure(String error, String message, boolean retryable, Long retryAfterMillis) {
        super(message, null, false, false);
        this.error = error;
        this.retryable = retryable;
        this.retryAfterMillis = retryAfterMillis;
    }

    public static StepFailure retry(String error, String message) {
        return new StepFailure(error, message, true, null);
    }

    public static StepFailure fail(String error, String message) {
        return new StepFailure(error, message, false, null);
    }

    /**
     * An error code taken from an upstream's answer: kept when it is a short code ({@code invalid_auth}), else
     * {@code UnexpectedAnswer}. An answer is untrusted: one that echoes the request would otherwise carry a token
     * into the execution document, the log and the metrics.
     */
    public static String codeFromAnswer(String code) {
        return code != null && SHORT_CODE.matcher(code).matches() ? code : "UnexpectedAnswer";
    }

    public String error() {
        return error;
    }

    public boolean retryable() {
        return retryable;
    }

    public Long retryAfterMillis() {
        return retryAfterMillis;
    }
}
