package community.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;

import community.execution.ExecutionStatus;
import community.execution.ExecutionStore;

/**
 * {@code GET /badge.svg}: an embeddable badge with the number of people signed up, as the self-hosted Slack
 * inviters offer. Counted from the executions that succeeded, and cached so that a busy page embedding it
 * does not turn into DynamoDB reads.
 */
public class MembersBadge {

    private final ExecutionStore store;
    private final String accent;
    private final long cacheMillis;
    private final AtomicBoolean counting = new AtomicBoolean();
    private volatile long countedAt;
    private volatile int members = -1;

    public MembersBadge(ExecutionStore store, String accent, Duration cache) {
        this.store = store;
        this.accent = accent;
        this.cacheMillis = cache.toMillis();
    }

    public void svg(Exchange exchange) {
        String label = "members";
        String value = String.valueOf(members());
        int left = 8 + label.length() * 7;
        int right = 10 + value.length() * 8;
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (left + right) + "\" height=\"20\" "
                + "role=\"img\" aria-label=\"" + value + " " + label + "\"><title>" + value + " " + label + "</title>"
                + "<rect width=\"" + left + "\" height=\"20\" fill=\"#555\"/>"
                + "<rect x=\"" + left + "\" width=\"" + right + "\" height=\"20\" fill=\"" + accent + "\"/>"
                + "<g font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">"
                + "<text x=\"5\" y=\"14\" fill=\"#fff\">" + label + "</text><text x=\"" + (left + 5) + "\" y=\"14\" "
                + "fill=\"" + SignupPage.onAccent(accent) + "\">" + value + "</text></g></svg>";
        SignupPage.answer(exchange, "image/svg+xml; charset=utf-8", svg);
        SignupPage.cacheControl(exchange, "public, max-age=" + cacheMillis / 1000);
    }

    /**
     * The count, kept for {@code signup.badge-cache}. Once it is older, one request counts again while the others
     * answer with it, and it stays while the store does not answer: a page embedding the badge must not hold the
     * HTTP server's workers, nor show a broken image, while DynamoDB is slow or away.
     */
    private int members() {
        int last = members;
        if (last >= 0 && (System.currentTimeMillis() - countedAt <= cacheMillis
                || !counting.compareAndSet(false, true))) {
            return last;
        }
        try {
            int counted = store.countSince(ExecutionStatus.SUCCEEDED.name(), "0");
            members = counted;
            countedAt = System.currentTimeMillis();
            return counted;
        } catch (RuntimeException e) {
            if (last < 0) {
                throw e;
            }
            return last;
        } finally {
            if (last >= 0) {
                counting.set(false);
            }
        }
    }
}
