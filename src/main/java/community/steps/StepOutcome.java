package community.steps;

import community.execution.Step;
import community.execution.StepStatus;

/** What a step's route hands to the aggregation: its final status, and for failures and skips, why. */
public record StepOutcome(Step step, StepStatus status, String error, String cause, String detail) {
}
