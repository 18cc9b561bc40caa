package community.signup;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.support.LRUCacheFactory;

/**
 * At most {@code SIGNUP_RATE_LIMIT} sign-ups per minute from one client address (0 turns it off): every bot
 * invite costs the workspace. A token bucket per address refills steadily, so a person who mistyped gets
 * another go within seconds while a script hammering the form gets 429 with the seconds to wait.
 * Who the client is, {@link ClientAddresses} says. The buckets are an LRU cache of bounded size: a
 * flood of fresh addresses evicts the least recently seen ones, and no request scans them.
 */
public class ClientRateLimit {

    private static final long WINDOW_NANOS = 60_000_000_000L;
    static final int MAX_TRACKED = 100_000;

    private final int perMinute;
    private final ClientAddresses clients;
    private final Map<String, Bucket> buckets = LRUCacheFactory.newLRUCache(1024, MAX_TRACKED);

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    public ClientRateLimit(int perMinute, ClientAddresses clients) {
        this.perMinute = perMinute;
        this.clients = clients;
    }

    public void check(Exchange exchange) {
        if (perMinute <= 0 || !"POST".equals(exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class))) {
            return;
        }
        long waitSeconds = take(clients.of(exchange), System.nanoTime());
        if (waitSeconds > 0) {
            throw SignupRejected.tooManyRequests(
                    "too many sign-ups from your address; please try again in " + waitSeconds + " seconds",
                    waitSeconds);
        }
    }

    /** Takes a token for the client; 0 when it had one, else the whole seconds until it will. */
    long take(String client, long now) {
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(perMinute, now));
        synchronized (bucket) {
            double refill = (now - bucket.updatedNanos) * (double) perMinute / WINDOW_NANOS;
            bucket.tokens = Math.min(perMinute, bucket.tokens + refill);
            bucket.updatedNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            double nanosPerToken = (double) WINDOW_NANOS / perMinute;
            return (long) Math.ceil((1 - bucket.tokens) * nanosPerToken / 1e9);
        }
    }

    /** How many clients' buckets are kept now. */
    int tracked() {
        return buckets.size();
    }
}
