package community.steps;

import community.execution.StepStatus;

/**
 * What a step's route hands to the aggregation: its final status, and for failures and skips, why. A step that
 * already had its outcome (an execution resumed or redriven) hands over {@link #kept}: nothing changes.
 */
public record StepOutcome(String step, StepStatus status, String error, String cause, String detail) {

    /** The step did not run: it keeps the outcome it already had. */
    public static StepOutcome kept(String step) {
        return new StepOutcome(step, null, null, null, null);
    }

    public boolean isKept() {
        return status == null;
    }
}
