package community.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import community.signup.SignupRequest;

/**
 * One run of the sign-up flow. The three steps update it concurrently while it runs, so every access is
 * synchronized; readers get copies.
 */
public final class Execution {

    /** History is for answering "what happened"; a step that keeps failing must not grow it without bound. */
    static final int MAX_HISTORY = 50;

    private final String executionId;
    private final Instant startedAt;
    private final SignupRequest input;
    private final EnumMap<Step, StepResult> results = new EnumMap<>(Step.class);
    private final List<Attempt> history = new ArrayList<>();
    private ExecutionStatus status;
    private Instant stoppedAt;

    public Execution(String executionId, ExecutionStatus status, Instant startedAt, Instant stoppedAt,
            SignupRequest input, Map<Step, StepResult> results, List<Attempt> history) {
        this.executionId = executionId;
        this.status = status;
        this.startedAt = startedAt;
        this.stoppedAt = stoppedAt;
        this.input = input;
        for (Step step : Step.values()) {
            this.results.put(step, results.getOrDefault(step, StepResult.pending()));
        }
        this.history.addAll(history);
    }

    public static Execution start(SignupRequest input, Instant now) {
        return new Execution(UUID.randomUUID().toString(), ExecutionStatus.RUNNING, now, null, input, Map.of(),
                List.of());
    }

    public String executionId() {
        return executionId;
    }

    public SignupRequest input() {
        return input;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public synchronized ExecutionStatus status() {
        return status;
    }

    public synchronized Instant stoppedAt() {
        return stoppedAt;
    }

    public synchronized StepResult result(Step step) {
        return results.get(step);
    }

    public synchronized Map<Step, StepResult> results() {
        return new EnumMap<>(results);
    }

    public synchronized List<Attempt> history() {
        return List.copyOf(history);
    }

    /** Marks the next attempt of a step as running and returns its number (1 for the first). */
    public synchronized int attemptStarted(Step step, Instant now) {
        int attempt = results.get(step).attempts() + 1;
        results.put(step, results.get(step).running(attempt, now));
        history.add(new Attempt(step.name(), attempt, now, null, "RUNNING", null, null));
        trimHistory();
        return attempt;
    }

    public synchronized void attemptEnded(Step step, Instant now, String outcome, String error, String cause) {
        int attempt = results.get(step).attempts();
        for (int i = history.size() - 1; i >= 0; i--) {
            Attempt a = history.get(i);
            if (a.step().equals(step.name()) && a.attempt() == attempt && a.stoppedAt() == null) {
                history.set(i, a.ended(now, outcome, error, cause));
                break;
            }
        }
        if ("RETRYING".equals(outcome)) {
            results.put(step, results.get(step).retrying(error, cause));
        }
    }

    public synchronized void stepSucceeded(Step step, Instant now, String detail) {
        results.put(step, results.get(step).succeeded(now, detail));
    }

    public synchronized void stepFailed(Step step, Instant now, String error, String cause) {
        results.put(step, results.get(step).failed(now, error, cause));
    }

    public synchronized void stepSkipped(Step step, Instant now, String error, String cause) {
        results.put(step, results.get(step).skipped(now, error, cause));
    }

    /** Puts a step back to PENDING so that a redrive runs it again. */
    public synchronized void resetStep(Step step) {
        results.put(step, StepResult.pending());
    }

    /** SUCCEEDED when every step succeeded or was skipped, FAILED when any failed, else still RUNNING. */
    public synchronized ExecutionStatus settle(Instant now) {
        boolean anyFailed = results.values().stream().anyMatch(r -> r.status() == StepStatus.FAILED);
        boolean allFinal = results.values().stream().allMatch(r -> r.status().isFinal());
        if (allFinal) {
            status = anyFailed ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
            stoppedAt = now;
        } else {
            status = ExecutionStatus.RUNNING;
            stoppedAt = null;
        }
        return status;
    }

    public synchronized void reopen() {
        status = ExecutionStatus.RUNNING;
        stoppedAt = null;
    }

    public synchronized boolean isFinished() {
        return status != ExecutionStatus.RUNNING;
    }

    private void trimHistory() {
        while (history.size() > MAX_HISTORY) {
            history.remove(0);
        }
    }
}
