package community.routes;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Holds incoming HTTP requests while the routes that answer them are being replaced, then routes them again to the
 * new routes. Replacing a platform-http route stops the old consumer before the new one starts, and a request
 * arriving in between would otherwise meet no route and get a 404. Requests wait in Vert.x's own buffers (their
 * bodies are not read meanwhile); the hold lasts as long as the swap, a few milliseconds.
 */
public class HttpRequestHold {

    private record Held(RoutingContext request, Context context) {
    }

    private final List<Held> held = new ArrayList<>();
    private boolean holding;
    private boolean installed;

    /** From now on, requests wait until {@link #release()}. */
    public synchronized void hold(CamelContext camel) {
        if (!installed) {
            for (VertxPlatformHttpRouter router : camel.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
                router.route().order(Integer.MIN_VALUE + 1).handler(this::arrived);
            }
            installed = true;
        }
        holding = true;
    }

    /** The new routes are in place: the requests that waited are routed to them. */
    public void release() {
        List<Held> waiting;
        synchronized (this) {
            holding = false;
            waiting = new ArrayList<>(held);
            held.clear();
        }
        for (Held request : waiting) {
            request.context().runOnContext(v -> request.request()
                    .reroute(request.request().request().method(), request.request().request().uri()));
        }
    }

    private void arrived(RoutingContext request) {
        synchronized (this) {
            if (holding) {
                // its body stays in Vert.x's buffers, unread and not yet ended, for the new route's body handler
                request.request().pause();
                held.add(new Held(request, Vertx.currentContext()));
                return;
            }
        }
        request.next();
    }
}
