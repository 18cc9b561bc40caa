package community.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import community.signup.SignupRequest;

/**
 * One run of the sign-up flow: its steps (those of the fan-out when it was accepted, in its order) update it
 * concurrently while it runs, so every access is synchronized; readers get copies.
 */
public final class Execution {

    /** History is for answering "what happened"; a step that keeps failing must not grow it without bound. */
    static final int MAX_HISTORY = 50;

    private final String executionId;
    private final Instant startedAt;
    private final SignupRequest input;
    private final Map<String, StepResult> results = new LinkedHashMap<>();
    private final List<Attempt> history = new ArrayList<>();
    private ExecutionStatus status;
    private Instant stoppedAt;

    public Execution(String executionId, ExecutionStatus status, Instant startedAt, Instant stoppedAt,
            SignupRequest input, Map<String, StepResult> results, List<Attempt> history) {
        this.executionId = executionId;
        this.status = status;
        this.startedAt = startedAt;
        this.stoppedAt = stoppedAt;
        this.input = input;
        this.results.putAll(results);
        this.history.addAll(history);
    }

    /** A new execution of these steps, each PENDING. */
    public static Execution start(SignupRequest input, Instant now, List<String> steps) {
        Map<String, StepResult> pending = new LinkedHashMap<>();
        steps.forEach(step -> pending.put(step, StepResult.pending()));
        return new Execution(UUID.randomUUID().toString(), ExecutionStatus.RUNNING, now, null, input, pending,
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

    public synchronized StepResult result(String step) {
        return results.get(step);
    }

    public synchronized Map<String, StepResult> results() {
        return new LinkedHashMap<>(results);
    }

    public synchronized List<Attempt> history() {
        return List.copyOf(history);
    }

    /** Marks the next attempt of a step as running and returns its number (1 for the first). */
    public synchronized int attemptStarted(String step, Instant now) {
        int attempt = stepResult(step).attempts() + 1;
        results.put(step, stepResult(step).running(attempt, now));
        history.add(new Attempt(step, attempt, now, null, "RUNNING", null, null));
        trimHistory();
        return attempt;
    }

    public synchronized void attemptEnded(String step, Instant now, String outcome, String error, String cause) {
        int attempt = stepResult(step).attempts();
        for (int i = history.size() - 1; i >= 0; i--) {
            Attempt a = history.get(i);
            if (a.step().equals(step) && a.attempt() == attempt && a.stoppedAt() == null) {
                history.set(i, a.ended(now, outcome, error, cause));
                break;
            }
        }
        if ("RETRYING".equals(outcome)) {
            results.put(step, stepResult(step).retrying(error, cause));
        }
    }

    public synchronized void stepSucceeded(String step, Instant now, String detail, String inviteUrl) {
        results.put(step, stepResult(step).succeeded(now, detail, inviteUrl));
    }

    public synchronized void stepFailed(String step, Instant now, String error, String cause) {
        results.put(step, stepResult(step).failed(now, error, cause));
    }

    public synchronized void stepSkipped(String step, Instant now, String error, String cause) {
        results.put(step, stepResult(step).skipped(now, error, cause));
    }

    /** The step waits for an organiser's approval: the execution stays RUNNING, stored, and nothing runs it. */
    public synchronized void stepWaiting(String step, Instant now) {
        results.put(step, stepResult(step).waiting(now));
    }

    /** Whether a step of this execution waits for an organiser. */
    public synchronized boolean isWaiting() {
        return results.values().stream().anyMatch(r -> r.status() == StepStatus.WAITING);
    }

    /** When its steps began to wait for an organiser: at the sign-up, or, redriven after it expired, at the redrive. */
    public synchronized Instant waitingSince() {
        return results.values().stream().filter(r -> r.status() == StepStatus.WAITING && r.startedAt() != null)
                .map(StepResult::startedAt).max(Instant::compareTo).orElse(startedAt);
    }

    /**
     * An organiser's answer to the waiting steps: approved, they run at the execution's next run; rejected, they
     * are SKIPPED ({@code Rejected}); unanswered too long, they FAILED ({@code Expired}).
     */
    public synchronized void answerWaiting(String answer, Instant now) {
        results.replaceAll((step, r) -> r.status() != StepStatus.WAITING ? r : switch (answer) {
            case "approve" -> r.approved();
            case "reject" -> r.skipped(now, "Rejected", step + ": an organiser rejected the request");
            default -> r.failed(now, "Expired", step + ": no organiser answered the request in time");
        });
    }

    /** Puts a step back to PENDING so that a redrive runs it again. */
    public synchronized void resetStep(String step) {
        results.put(step, StepResult.pending());
    }

    /**
     * Once the fan-out has ended: SUCCEEDED when every step succeeded or was skipped, FAILED when any failed, and
     * still RUNNING while a step waits for an organiser. A step still without an outcome was not in the fan-out
     * (an operator removed it after this execution was accepted): it is SKIPPED, saying so, rather than leave the
     * execution running for ever.
     */
    public synchronized ExecutionStatus settle(Instant now) {
        results.replaceAll((step, r) -> r.status().isFinal() || r.status() == StepStatus.WAITING ? r
                : r.skipped(now, "NotInFlow",
                        step + ": the step is no longer in the fan-out (run-execution.camel.yaml), so it did not run"));
        if (results.values().stream().anyMatch(r -> r.status() == StepStatus.WAITING)) {
            status = ExecutionStatus.RUNNING;
            stoppedAt = null;
            return status;
        }
        boolean anyFailed = results.values().stream().anyMatch(r -> r.status() == StepStatus.FAILED);
        status = anyFailed ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
        stoppedAt = now;
        return status;
    }

    public synchronized void reopen() {
        status = ExecutionStatus.RUNNING;
        stoppedAt = null;
    }

    public synchronized boolean isFinished() {
        return status != ExecutionStatus.RUNNING;
    }

    /** A step this execution did not have when it was accepted (an operator's edit since) starts PENDING. */
    private StepResult stepResult(String step) {
        return results.getOrDefault(step, StepResult.pending());
    }

    private void trimHistory() {
        while (history.size() > MAX_HISTORY) {
            history.remove(0);
        }
    }
}
