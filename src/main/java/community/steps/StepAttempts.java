package community.steps;

import java.time.Clock;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import community.execution.Execution;
import community.execution.SignupMetrics;

/**
 * Keeps the execution informed while a step runs: each attempt's start and end go into its history, so the
 * status page can say "retrying" and why, and at the end the step's outcome goes into the execution.
 * <p>
 * The step template (steps.camel.yaml) sets the exchange properties this reads, {@code step} and {@code timeout}
 * (per attempt, in ms); the run sets {@code execution}. The attempts left come from the error handler's
 * {@code CamelRedeliveryCounter} and {@code CamelRedeliveryMaxCounter}.
 */
public class StepAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(StepAttempts.class);
    private static final String LAST_FAILURE = "stepFailure";

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
        String step = step(exchange);
        String detail = exchange.getProperty("detail", String.class);
        Execution execution = execution(exchange);
        execution.attemptEnded(step, clock.instant(), "SUCCEEDED", null, detail);
        execution.stepSucceeded(step, clock.instant(), detail, exchange.getProperty("inviteUrl", String.class));
        metrics.stepFinished(step, execution.result(step));
    }

    /** The step waits for an organiser: nothing is called, and the execution is stored as waiting. */
    public void awaitApproval(Exchange exchange) {
        String step = step(exchange);
        execution(exchange).stepWaiting(step, clock.instant());
        try (MDC.MDCCloseable id = MDC.putCloseable("executionId", executionId(exchange))) {
            LOG.info("{} waits for an organiser's approval", step);
        }
    }

    /** The step cannot run here: it is not configured. */
    public void notConfigured(Exchange exchange, String cause) {
        String step = step(exchange);
        execution(exchange).stepSkipped(step, clock.instant(), "NotConfigured", cause);
        metrics.stepFinished(step, execution(exchange).result(step));
    }

    /**
     * The step policy's retry-while predicate, asked as an attempt fails: is the failure worth another attempt,
     * and is one left? If so, the failed attempt is closed in the history as RETRYING, and an upstream's
     * Retry-After becomes the wait before the next one.
     */
    public boolean retryable(Exchange exchange) {
        String step = step(exchange);
        StepFailure failure = failure(exchange);
        // the attempts that failed so far, and the retries the policy allows (the header is absent when none)
        int failed = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        int retries = exchange.getIn().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class);
        String cause = cause(step + ": " + failure.getMessage() + " (attempt " + failed + " of " + (retries + 1) + ")");
        if (!failure.retryable() || failed > retries) {
            // the error handler clears its counters before the step-failed route runs: the outcome goes with it
            exchange.setProperty(LAST_FAILURE, StepFailure.fail(failure.error(), cause));
            return false;
        }
        if (failure.retryAfterMillis() != null) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY,
                    Math.min(failure.retryAfterMillis(), maxRetryAfterMillis));
        }
        execution(exchange).attemptEnded(step, clock.instant(), "RETRYING", failure.error(), cause);
        try (MDC.MDCCloseable id = MDC.putCloseable("executionId", executionId(exchange))) {
            LOG.info("{} attempt failed, trying again: {}", step, cause);
        }
        return true;
    }

    /** Retries are spent, or the failure is not worth retrying: the step FAILED. */
    public void failed(Exchange exchange) {
        String step = step(exchange);
        StepFailure last = exchange.getProperty(LAST_FAILURE, StepFailure.class);
        if (last == null) {
            // a failure the policy was not asked about: while Camel stops, a failed attempt goes straight here
            StepFailure failure = failure(exchange);
            last = StepFailure.fail(failure.error(), cause(step + ": " + failure.getMessage()));
        }
        Execution execution = execution(exchange);
        execution.attemptEnded(step, clock.instant(), "FAILED", last.error(), last.getMessage());
        execution.stepFailed(step, clock.instant(), last.error(), last.getMessage());
        metrics.stepFinished(step, execution.result(step));
        try (MDC.MDCCloseable id = MDC.putCloseable("executionId", executionId(exchange))) {
            LOG.warn("{} failed: {}", step, last.getMessage());
        }
    }

    /**
     * A cause as the log, the document and the dashboard show it. It may hold an upstream's words (ActiveCampaign's
     * result_message, an HTTP library's report of a malformed answer): on one line and without control characters,
     * they cannot forge a log line or send a terminal escape to whoever reads the log; and no secret.
     */
    private String cause(String text) {
        return secrets.mask(text.replaceAll("[\\s\\p{Z}]+", " ").replaceAll("[\\p{Cc}\\p{Cf}]", ""));
    }

    private StepFailure failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught == null) {
            caught = exchange.getException();
        }
        return Failures.classify(caught, timeout(exchange), exchange);
    }

    private static String step(Exchange exchange) {
        String name = exchange.getProperty("step", String.class);
        if (name == null) {
            // an edited route that fails before its first steps: the aggregation names the step from where it went
            Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            throw new IllegalStateException("the route broke before it named its step"
                    + (caught == null ? "" : ": " + caught.getMessage()));
        }
        return name;
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
