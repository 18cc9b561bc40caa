package community.web;

import java.util.List;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import community.routes.RouterHandlers;

/**
 * Lets the sites in {@code SIGNUP_CORS_ORIGINS} post sign-ups from their own pages (a form embedded elsewhere),
 * answering their preflights, and follow them; other origins get no CORS headers, so browsers keep them out of the
 * answers.
 */
public class SignupCors extends RouterHandlers {

    private final List<String> origins;

    public SignupCors(List<String> origins) {
        this.origins = List.copyOf(origins);
    }

    @Override
    protected void addTo(VertxPlatformHttpRouter router) {
        if (origins.isEmpty()) {
            return;
        }
        CorsHandler cors = CorsHandler.create().addOrigins(origins).allowedMethod(HttpMethod.POST)
                .allowedMethod(HttpMethod.GET).allowedHeader("Content-Type").exposedHeader("Location")
                // the seconds a 429 (the rate limit) or a 503 (the service behind) asks the page to wait
                .exposedHeader("Retry-After")
                .maxAgeSeconds(600);
        // Vert.x's handler fails every request from an origin not listed, the service's own page included
        // (browsers send Origin with a page's posts); those go on without CORS headers, and the sign-up route
        // refuses another site's post itself (403), as it does when no origin is listed.
        Handler<RoutingContext> listedOnly = ctx -> {
            String origin = ctx.request().getHeader("Origin");
            if (origin != null && origins.contains(origin)) {
                cors.handle(ctx);
            } else {
                ctx.next();
            }
        };
        router.route("/signup").order(-1).handler(listedOnly);
        // and that page follows the sign-up it posted (GET /signup/{id}, the id its post was answered with), as the
        // service's own page does: without it, a form of the community's own could post but never say what happened
        router.route("/signup/*").order(-1).handler(listedOnly);
    }
}
