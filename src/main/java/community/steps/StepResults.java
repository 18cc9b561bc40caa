package community.steps;

import java.time.Clock;
import java.util.Set;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import community.execution.Execution;
import community.execution.SignupMetrics;
import community.execution.StepResult;
import community.execution.StepStatus;
import community.execution.Steps;

/**
 * The fan-out's aggregation: each step's outcome is under {@code results.<Step>} of the one execution the branches
 * share (Step Functions' ResultPath idea: the input is never lost and every step's outcome is kept). A step that
 * already had its outcome (a resumed or redriven execution) leaves it as it was.
 */
public class StepResults implements AggregationStrategy {

    private final Clock clock;
    private final SignupMetrics metrics;

    public StepResults(Clock clock, SignupMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            record(newExchange);
            // The first branch becomes the fan-out's result. A step that failed was handled by its route's error
            // handler, and that mark, copied to the fan-out, would end run-execution before the outcome is stored.
            newExchange.getExchangeExtension().setErrorHandlerHandled(null);
            return newExchange;
        }
        record(newExchange);
        return oldExchange;
    }

    /**
     * The branch's step: set by its route, or, when the route never ran, the endpoint the fan-out sent it to
     * (direct:RecordAC).
     */
    private static String step(Exchange branch) {
        String name = branch.getProperty("step", String.class);
        if (name != null) {
            return name;
        }
        String endpoint = branch.getProperty(Exchange.TO_ENDPOINT, "", String.class);
        return Steps.nameOf(endpoint);
    }

    /**
     * A step's route records its outcome in the execution itself (StepAttempts); a step to run whose route ended
     * without one, or broke, is a bug, and must still show.
     */
    private void record(Exchange branch) {
        Execution execution = branch.getProperty("execution", Execution.class);
        String step = step(branch);
        Throwable broken = branch.getException();
        StepResult result = execution.result(step);
        boolean toRun = branch.getProperty("toRun", Set.class).contains(step);
        if (broken == null && (!toRun || result.status().isFinal() || result.status() == StepStatus.WAITING)) {
            return;
        }
        execution.stepFailed(step, clock.instant(), "InternalError", step + ": the step ended without an outcome"
                + (broken == null ? "" : " (" + broken.getClass().getSimpleName() + ": " + broken.getMessage() + ")"));
        branch.setException(null);
        metrics.stepFinished(step, execution.result(step));
    }
}
