package community.execution;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP requests that may wait at once: Camel 4.18's platform-http holds a worker thread of the HTTP server per
 * request until its route ends, so a sign-up waiting for its execution ({@code ?wait=true}) or for a place in the
 * backlog (the door) holds one. Past {@code signup.max-waits} (default: two thirds of the workers) a request does
 * not wait: the health check, the pages and other sign-ups always find a worker.
 */
public class RequestWaits {

    private final int max;
    private final AtomicInteger waiting = new AtomicInteger();

    public RequestWaits(int max) {
        this.max = max;
    }

    /** Takes a place to wait, if one is free; whoever gets true calls {@link #release} once done waiting. */
    public boolean tryHold() {
        if (waiting.incrementAndGet() <= max) {
            return true;
        }
        waiting.decrementAndGet();
        return false;
    }

    public void release() {
        waiting.decrementAndGet();
    }
}
