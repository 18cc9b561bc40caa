package community.steps;

import java.time.Clock;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import community.execution.Execution;
import community.execution.Step;
import community.execution.StepStatus;
import community.observe.SignupMetrics;

/**
 * Keeps the execution informed while a step runs: each attempt's start and end go into its history, so the
 * status page can say "retrying" and why, and at the end the step's outcome goes to the aggregation.
 * <p>
 * The step routes set the exchange properties this reads: {@code step}, {@code retries} (attempts after the
 * first) and {@code timeout} (per attempt, in ms); the run sets {@code execution}.
 */
public class StepAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(StepAttempts.class);

    private final Clock clock;
    private final SecretMask secrets;
    private final long maxRetryAfterMillis;
    private final SignupMetrics metrics;

    public StepAttempts(Clock clock, SecretMask secrets, long maxRetryAfterMillis, SignupMetrics metrics) {
        this.metrics = metrics;
        this.clock = clock;
        this.secrets = secrets;
        this.maxRetryAfterMillis = maxRetryAfterMillis;
    }

    /** At the start of every attempt. */
    public void begin(Exchange exchange) {
        // A Retry-After from an earlier attempt must not stretch the wait after a later one.
        exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        int attempt = execution(exchange).attemptStarted(step(exchange), clock.instant());
        metrics.attempt(step(exchange));
        exchange.setProperty("attempt", attempt);
    }

    /** The attempt went through; {@code detail} says how (for example "already_invited"). */
    public void succeeded(Exchange exchange) {
        Step step = step(exchange);
        String detail = exchange.getProperty("detail", String.class);
        execution(exchange).attemptEnded(step, clock.instant(), "SUCCEEDED", null, detail);
        exchange.getIn().setBody(new StepOutcome(step, StepStatus.SUCCEEDED, null, null, detail));
    }

    /** The step already has its outcome (a resumed or redriven execution): it keeps it and calls nothing. */
    public void kept(Exchange exchange) {
        exchange.getIn().setBody(StepOutcome.kept(step(exchange)));
    }

    /** The step cannot run here: it is not configured. */
    public void notConfigured(Exchange exchange, String cause) {
        exchange.getIn().setBody(new StepOutcome(step(exchange), StepStatus.SKIPPED, "NotConfigured", cause, null));
    }

    /**
     * The predicate of the step policies, asked as an attempt fails: is the failure worth another attempt? When
     * one is left, the failed attempt is closed in the history as RETRYING, and an upstream's Retry-After
     * becomes the wait before the next one.
     */
    public boolean retryable(Exchange exchange) {
        StepFailure failure = failure(exchange);
        if (!failure.retryable()) {
            return false;
        }
        int attempt = exchange.getProperty("attempt", 1, Integer.class);
        if (attempt <= exchange.getProperty("retries", 0, Integer.class)) {
            if (failure.retryAfterMillis() != null) {
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY,
                        Math.min(failure.retryAfterMillis(), maxRetryAfterMillis));
            }
            Step step = step(exchange);
            String cause = cause(exchange, failure);
            execution(exchange).attemptEnded(step, clock.instant(), "RETRYING", failure.error(), cause);
            try (MDC.MDCCloseable id = MDC.putCloseable("executionId", executionId(exchange))) {
                LOG.info("{} attempt failed, trying again: {}", step, cause);
            }
        }
        return true;
    }

    /** Retries are spent, or the failure is not worth retrying: the step FAILED. */
    public void failed(Exchange exchange) {
        Step step = step(exchange);
        StepFailure failure = failure(exchange);
        String cause = cause(exchange, failure);
        execution(exchange).attemptEnded(step, clock.instant(), "FAILED", failure.error(), cause);
        try (MDC.MDCCloseable id = MDC.putCloseable("executionId", executionId(exchange))) {
            LOG.warn("{} failed: {}", step, cause);
        }
        exchange.getIn().setBody(new StepOutcome(step, StepStatus.FAILED, failure.error(), cause, null));
    }

    private StepFailure failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught == null) {
            caught = exchange.getException();
        }
        return Failures.classify(caught, step(exchange), timeout(exchange));
    }

    private String cause(Exchange exchange, StepFailure failure) {
        int attempt = exchange.getProperty("attempt", 1, Integer.class);
        int attempts = exchange.getProperty("retries", 0, Integer.class) + 1;
        return secrets.mask(step(exchange) + ": " + failure.getMessage() + " (attempt " + attempt + " of "
                + Math.max(attempt, attempts) + ")");
    }

    private static Step step(Exchange exchange) {
        String name = exchange.getProperty("step", String.class);
        if (name == null) {
            // an edited route that fails before its first steps: the aggregation names the step from where it went
            Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            throw new IllegalStateException("the route broke before it named its step"
                    + (caught == null ? "" : ": " + caught.getMessage()));
        }
        return Step.valueOf(name);
    }

    private static long timeout(Exchange exchange) {
        return exchange.getProperty("timeout", 0L, Long.class);
    }

    private static Execution execution(Exchange exchange) {
        return exchange.getProperty("execution", Execution.class);
    }

    private static String executionId(Exchange exchange) {
        return execution(exchange).executionId();
    }
}
