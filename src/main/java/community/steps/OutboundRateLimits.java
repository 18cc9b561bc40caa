package community.steps;

import java.util.Map;

/**
 * Which upstreams have an outbound rate limit ({@code activecampaign.rate-limit}, {@code slack.rate-limit};
 * 0 means none). Read once at start, so that the routes do not parse a property on every request.
 */
public class OutboundRateLimits {

    private final Map<String, Integer> perSecond;

    public OutboundRateLimits(Map<String, Integer> perSecond) {
        this.perSecond = Map.copyOf(perSecond);
    }

    public boolean limited(String upstream) {
        return perSecond.getOrDefault(upstream, 0) > 0;
    }
}
