package community.steps;

import java.util.Map;

import org.apache.camel.Exchange;

import community.observe.SignupMetrics;

/**
 * Which upstreams have an outbound rate limit ({@code activecampaign.rate-limit}, {@code slack.rate-limit};
 * 0 means none). Read once at start, so that the routes do not parse a property on every request.
 */
public class OutboundRateLimits {

    /** A request the throttle held back for longer than this was waiting its turn. */
    private static final long WAITED_NANOS = 2_000_000;

    private final Map<String, Integer> perSecond;
    private final SignupMetrics metrics;

    public OutboundRateLimits(Map<String, Integer> perSecond, SignupMetrics metrics) {
        this.perSecond = Map.copyOf(perSecond);
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

    public boolean limited(String upstream) {
        return perSecond.getOrDefault(upstream, 0) > 0;
    }
}
