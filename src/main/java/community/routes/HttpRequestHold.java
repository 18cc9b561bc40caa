package community.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Holds incoming HTTP requests while the routes that answer them are being replaced, then routes them again to the
 * new routes. Replacing a platform-http route stops the old consumer before the new one starts: a request arriving
 * in between would meet no route (404), and one the old consumer had taken but not yet handed to its route would
 * meet a stopped route (500). So the hold first lets the requests already past it reach their route (Camel then
 * waits for them before stopping it) or finish, then the swap happens, then the held requests go on. They wait in
 * Vert.x's own buffers (their bodies are not read meanwhile); the hold lasts as long as the swap, milliseconds.
 */
public class HttpRequestHold extends RouterHandlers {

    private static final long ARRIVING_WAIT_MILLIS = 2000;

    private record Held(RoutingContext request, Context context) {
    }

    /** Requests past the hold that have neither reached a Camel route nor been answered. */
    private final Set<HttpServerRequest> arriving = ConcurrentHashMap.newKeySet();
    private final List<Held> held = new ArrayList<>();
    private volatile boolean holding;

    @Override
    protected void addTo(VertxPlatformHttpRouter router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::arrived);
    }

    /** From now on, requests wait until {@link #release()}; returns once those already past have gone in. */
    public void hold() {
        synchronized (this) {
            holding = true;
            long until = System.currentTimeMillis() + ARRIVING_WAIT_MILLIS;
            for (long left = ARRIVING_WAIT_MILLIS; !arriving.isEmpty() && left > 0;
                    left = until - System.currentTimeMillis()) {
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
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

    /** A request has reached its Camel route (its exchange has begun its unit of work). */
    public void entered(HttpServerRequest request) {
        gone(request);
    }

    private void arrived(RoutingContext request) {
        if (holding) {
            synchronized (this) {
                if (holding) {
                    // its body stays in Vert.x's buffers, unread and not yet ended, for the new route's body handler
                    request.request().pause();
                    held.add(new Held(request, Vertx.currentContext()));
                    return;
                }
            }
        }
        HttpServerRequest incoming = request.request();
        arriving.add(incoming);
        request.addEndHandler(ended -> gone(incoming));
        request.next();
    }

    private void gone(HttpServerRequest request) {
        if (arriving.remove(request) && holding) {
            synchronized (this) {
                notifyAll();
            }
        }
    }
}
