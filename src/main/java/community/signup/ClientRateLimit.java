package community.signup;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;

/**
 * At most {@code SIGNUP_RATE_LIMIT} sign-ups per minute from one client address (0 turns it off): every bot
 * invite costs the workspace. A token bucket per address refills steadily, so a person who mistyped gets
 * another go within seconds while a script hammering the form gets 429 with the seconds to wait.
 * {@code X-Forwarded-For} is believed only from the proxies listed in {@code SIGNUP_TRUSTED_PROXIES}.
 */
public class ClientRateLimit {

    private static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int MAX_TRACKED = 100_000;

    private final int perMinute;
    private final Set<String> trustedProxies;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    public ClientRateLimit(int perMinute, String trustedProxies) {
        this.perMinute = perMinute;
        this.trustedProxies = Arrays.stream(trustedProxies == null ? new String[0] : trustedProxies.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public void check(Exchange exchange) {
        if (perMinute <= 0 || !"POST".equals(exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class))) {
            return;
        }
        long waitSeconds = take(client(exchange), System.nanoTime());
        if (waitSeconds > 0) {
            throw SignupRejected.tooManyRequests(
                    "too many sign-ups from your address; please try again in " + waitSeconds + " seconds",
                    waitSeconds);
        }
    }

    /** Takes a token for the client; 0 when it had one, else the whole seconds until it will. */
    long take(String client, long now) {
        if (buckets.size() > MAX_TRACKED) {
            buckets.values().removeIf(b -> now - b.updatedNanos > WINDOW_NANOS);
        }
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

    private String client(Exchange exchange) {
        Object remote = exchange.getIn().getHeader("CamelVertxPlatformHttpRemoteAddress");
        String address = remote instanceof SocketAddress vertx && vertx.hostAddress() != null ? vertx.hostAddress()
                : remote instanceof InetSocketAddress inet && inet.getAddress() != null
                        ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        String forwarded = exchange.getIn().getHeader("X-Forwarded-For", String.class);
        if (forwarded != null && trustedProxies.contains(address)) {
            String[] hops = forwarded.split(",");
            // the last hop a trusted proxy added is the client as that proxy saw it
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].strip();
                if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                    return hop;
                }
            }
        }
        return address;
    }
}
