package community.routes;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Handlers of the service's own on the HTTP server's router, added once per router. Camel calls its startup
 * listeners again whenever routes start, which every reloaded route file does: added on each call, every edit
 * would add them again, and a request would pass each of them as many times (the request limit counting it as
 * many requests, CORS headers written twice).
 */
public abstract class RouterHandlers implements StartupListener {

    private final Set<VertxPlatformHttpRouter> added = ConcurrentHashMap.newKeySet();

    @Override
    public final void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (added.add(router)) {
                addTo(router);
            }
        }
    }

    protected abstract void addTo(VertxPlatformHttpRouter router);
}
