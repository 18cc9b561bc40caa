package community.web;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import community.routes.RouterHandlers;
import community.signup.SignupRequests;

/**
 * Makes the answers the HTTP server gives on its own (an unknown path, a body too large for it to read) JSON
 * errors like the rest of the API, instead of Vert.x's HTML and plain-text pages; and lets Camel's management
 * endpoints ({@code /observe/health}, {@code /observe/metrics}) answer HEAD as they answer GET.
 */
public class HttpServerErrors extends RouterHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerErrors.class);

    @Override
    protected void addTo(VertxPlatformHttpRouter router) {
        // Camel registers its management endpoints for GET alone, and uptime monitors check with HEAD: they found
        // the health check missing. Served as a GET, the answer to a HEAD still goes without its body. (A route for
        // HEAD alone would make a GET of an unknown path there a 405; one after Camel's, a POST there a 404.)
        router.route("/observe/*").order(-1).handler(ctx -> {
            if (ctx.request().method() == HttpMethod.HEAD) {
                ctx.reroute(HttpMethod.GET, ctx.request().path());
            } else {
                ctx.next();
            }
        });
        // What no route took, by why: as error handlers, not a last route matching every request, which had
        // answered "there is nothing at /observe/health" to a POST there, or to an Accept the endpoint rules out.
        router.errorHandler(404, ctx -> answer(ctx, 404, "there is nothing at " + ctx.normalizedPath()));
        // only the management endpoints leave a method to the router: the service's own routes answer 405 themselves
        router.errorHandler(405, ctx -> {
            ctx.response().putHeader("Allow", "GET, HEAD");
            answer(ctx, 405, ctx.request().method() + " is not allowed here; use GET");
        });
        router.errorHandler(406, ctx -> answer(ctx, 406, "the request's Accept header rules out what "
                + ctx.normalizedPath() + " answers; send none, or one with */*"));
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
