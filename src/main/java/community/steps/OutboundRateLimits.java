package community.steps;

import org.apache.camel.Exchange;

import community.execution.SignupMetrics;

/**
 * Counts the requests that an outbound rate limit ({@code activecampaign.rate-limit}, {@code slack.rate-limit})
 * held back: the routes call it on both sides of their throttle.
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

    /** Just after it: counts the requests that had to wait their turn. */
    public void passed(Exchange exchange, String upstream) {
        Long arrival = exchange.getProperty("throttleArrival", Long.class);
        if (arrival != null && System.nanoTime() - arrival > WAITED_NANOS) {
            metrics.rateLimitWait(upstream);
        }
    }
}
