package community.execution;

import java.time.Instant;

/**
 * What one step did: its status, how many attempts it made, and for a failure or a skip a short stable
 * {@code error} code and a {@code cause} sentence naming the step, the attempts and the upstream's message. A step
 * that hands the person a link (InviteSlack in link mode) keeps it as {@code inviteUrl}, for the page.
 */
public record StepResult(StepStatus status, int attempts, Instant startedAt, Instant stoppedAt, String error,
        String cause, String detail, String inviteUrl) {

    /** The detail of a step an organiser approved, until it runs. */
    public static final String APPROVED = "approved";

    public static StepResult pending() {
        return new StepResult(StepStatus.PENDING, 0, null, null, null, null, null, null);
    }

    public StepResult running(int attempt, Instant now) {
        return new StepResult(StepStatus.RUNNING, attempt, startedAt == null ? now : startedAt, null, error, cause,
                detail, null);
    }

    public StepResult succeeded(Instant now, String detail, String inviteUrl) {
        return new StepResult(StepStatus.SUCCEEDED, attempts, startedAt == null ? now : startedAt, now, null, null,
                detail, inviteUrl);
    }

    public StepResult failed(Instant now, String error, String cause) {
        return new StepResult(StepStatus.FAILED, attempts, startedAt == null ? now : startedAt, now, error, cause,
                null, null);
    }

    public StepResult skipped(Instant now, String error, String cause) {
        return new StepResult(StepStatus.SKIPPED, attempts, now, now, error, cause, null, null);
    }

    /** The step waits for an organiser's approval before it runs (SIGNUP_APPROVAL). */
    public StepResult waiting(Instant now) {
        return new StepResult(StepStatus.WAITING, attempts, now, null, null, null, null, null);
    }

    /** An organiser approved it: it runs at its next turn, its detail saying so. */
    public StepResult approved() {
        return new StepResult(StepStatus.PENDING, attempts, null, null, null, null, APPROVED, null);
    }

    public boolean isApproved() {
        return APPROVED.equals(detail) && status == StepStatus.PENDING;
    }

    /** A step still retrying shows why its last attempt failed. */
    public StepResult retrying(String error, String cause) {
        return new StepResult(status, attempts, startedAt, stoppedAt, error, cause, detail, null);
    }
}
