package community.steps;

import java.time.Clock;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import community.execution.Execution;
import community.execution.SignupMetrics;

/**
 * Collects each step's outcome under {@code results.<Step>} of the execution, as the branches of the parallel
 * multicast finish: the input is never lost and every step's outcome is kept (Step Functions' ResultPath idea).
 * A step that already had its outcome (a resumed or redriven execution) leaves it as it was.
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
        return endpoint.replaceFirst("^direct:(//)?", "").replaceFirst("\\?.*$", "");
    }

    private void record(Exchange branch) {
        Execution execution = branch.getProperty("execution", Execution.class);
        StepOutcome outcome = branch.getException() == null ? branch.getIn().getBody(StepOutcome.class) : null;
        if (outcome == null) {
            // A step route is built to end with an outcome; anything else is a bug, and must still show.
            String step = step(branch);
            Throwable broken = branch.getException();
            execution.stepFailed(step, clock.instant(), "InternalError", step + ": the step ended without an outcome"
                    + (broken == null ? "" : " (" + broken.getClass().getSimpleName() + ": " + broken.getMessage() + ")"));
            branch.setException(null);
            metrics.stepFinished(step, execution.result(step));
            return;
        }
        if (outcome.isKept()) {
            return;
        }
        switch (outcome.status()) {
            case SUCCEEDED -> execution.stepSucceeded(outcome.step(), clock.instant(), outcome.detail());
            case SKIPPED -> execution.stepSkipped(outcome.step(), clock.instant(), outcome.error(), outcome.cause());
            default -> execution.stepFailed(outcome.step(), clock.instant(), outcome.error(), outcome.cause());
        }
        metrics.stepFinished(outcome.step(), execution.result(outcome.step()));
    }
}
