package community.web;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.ext.web.RoutingContext;

import community.routes.RouterHandlers;
import community.signup.SignupRequests;

/**
 * Makes the answers the HTTP server gives on its own (an unknown path, a body too large for it to read) JSON
 * errors like the rest of the API, instead of Vert.x's HTML and plain-text pages.
 */
public class HttpServerErrors extends RouterHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerErrors.class);

    @Override
    protected void addTo(VertxPlatformHttpRouter router) {
        router.route().last().handler(ctx -> answer(ctx, 404, "there is nothing at " + ctx.normalizedPath()));
        router.route().failureHandler(HttpServerErrors::failed);
    }

    private static void failed(RoutingContext ctx) {
        switch (ctx.statusCode()) {
            case 413 -> answer(ctx, 413, "the request body is larger than " + SignupRequests.MAX_BODY_BYTES + " bytes");
            case 400 -> answer(ctx, 400, "the request could not be read");
            case 403 -> answer(ctx, 403, "the request is not allowed from where it was sent");
            default -> {
                LOG.error("Could not handle {} {}: status {}", ctx.request().method(), ctx.normalizedPath(),
                        ctx.statusCode(), ctx.failure());
                answer(ctx, 500, "the service could not handle the request; it has been logged");
            }
        }
    }

    /** A JSON error answered by the HTTP server itself, outside Camel's routes. */
    static void answer(RoutingContext ctx, int status, String message) {
        if (ctx.response().headWritten()) {
            ctx.response().end();
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store")
                .end(JsonAnswers.error(message, null));
    }
}
