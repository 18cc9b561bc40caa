package community.web;

import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import community.execution.SignupMetrics;
import community.routes.RouterHandlers;

/**
 * Bounds the HTTP requests the service holds at once ({@code signup.http.max-requests}). Camel's platform-http
 * hands every request to a worker thread, and requests beyond the workers queue for one, each with its headers,
 * body and exchange: an open-loop flood (a bot, a burst faster than the store) grew that queue until the heap ran
 * out. Past the limit a request is answered {@code 503} with {@code Retry-After} on the event loop, before its body
 * is read, and nothing is stored. The health and metrics endpoints ({@code /observe/...}) are not counted, so an
 * orchestrator still sees the service alive while it sheds load.
 */
public class HttpRequestLimit extends RouterHandlers {

    private final int max;
    private final SignupMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();

    public HttpRequestLimit(int max, SignupMetrics metrics) {
        this.max = max;
        this.metrics = metrics;
    }

    @Override
    protected void addTo(VertxPlatformHttpRouter router) {
        router.route().order(-2).handler(this::admit);
    }

    private void admit(RoutingContext ctx) {
        if (ctx.normalizedPath().startsWith("/observe/")) {
            ctx.next();
            return;
        }
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            metrics.overloaded();
            ctx.response().putHeader("Retry-After", "5");
            HttpServerErrors.answer(ctx, 503, "the service is busy; please try again in a few seconds");
            return;
        }
        // called once the answer is sent, or the connection is gone before it
        ctx.addEndHandler(ended -> inFlight.decrementAndGet());
        ctx.next();
    }
}
