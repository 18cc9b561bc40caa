package community.execution;

import java.time.Instant;

/** One attempt of one step, kept in the execution's history. */
public record Attempt(String step, int attempt, Instant startedAt, Instant stoppedAt, String outcome, String error,
        String cause) {

    public Attempt ended(Instant now, String outcome, String error, String cause) {
        return new Attempt(step, attempt, startedAt, now, outcome, error, cause);
    }
}
