package community.web;

import java.util.Arrays;
import java.util.List;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.CorsHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Lets the sites in {@code SIGNUP_CORS_ORIGINS} post sign-ups from their own pages (a form embedded elsewhere),
 * answering their preflights; other origins get no CORS headers, so browsers keep them out.
 */
public class SignupCors implements StartupListener {

    private final List<String> origins;

    public SignupCors(String origins) {
        this.origins = Arrays.stream(origins == null ? new String[0] : origins.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (origins.isEmpty()) {
            return;
        }
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            router.route("/signup").order(-1).handler(CorsHandler.create().addOrigins(origins)
                    .allowedMethod(HttpMethod.POST).allowedHeader("Content-Type").maxAgeSeconds(600));
        }
    }
}
