package community.steps;

/**
 * An upstream's answer that means the attempt failed: {@code error} is the short stable code that goes into the
 * execution document, the message says what the upstream answered. Retryable failures are tried again under the
 * step's policy, after {@code retryAfterMillis} when the upstream said how long to wait.
 */
public class StepFailure extends RuntimeException {

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
