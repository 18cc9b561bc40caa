package community.steps;

import org.apache.camel.Exchange;

import community.execution.SignupMetrics;

/**
 * Counts the requests that an outbound rate limit ({@code activecampaign.rate-limit}, {@code slack.rate-limit},
 * {@code slack.notify-rate-limit}) held back: the rate-limit route (steps.camel.yaml) calls it on both sides of its
 * throttle.
 */
public class OutboundRateLimits {

    /** A request the throttle held back for longer than this was waiting its turn. */
    private static final long WAITED_NANOS = 2_000_000;

    private final SignupMetrics metrics;

    public OutboundRateLimits(SignupMetrics metrics) {
        this.metrics = metrics;
    }

    /** Just before the throttle. */
    public void arrived(Exchange exchange) {
        exchange.setProperty("throttleArrival", System.nanoTime());
    }

    /** Just after it: counts the requests that had to wait their turn, by upstream (property rateLimited). */
    public void passed(Exchange exchange) {
        Long arrival = exchange.getProperty("throttleArrival", Long.class);
        if (arrival != null && System.nanoTime() - arrival > WAITED_NANOS) {
            metrics.rateLimitWait(exchange.getProperty("rateLimited", String.class));
        }
    }
}
