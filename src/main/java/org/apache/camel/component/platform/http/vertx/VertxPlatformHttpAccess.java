package org.apache.camel.component.platform.http.vertx;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Opens the package-private helpers of Camel's platform-http on Vert.x to {@code community.web.NonBlockingHttpEngine},
 * so that it answers exactly as Camel's own consumer does (the same headers, status codes and body handling) without
 * a copy of that code. It lives in Camel's package for that reason only.
 */
public final class VertxPlatformHttpAccess {

    private VertxPlatformHttpAccess() {
    }

    public static Future<Void> writeResponse(RoutingContext ctx, Exchange exchange, HeaderFilterStrategy headers,
            boolean muteExceptions) {
        return VertxPlatformHttpSupport.writeResponse(ctx, exchange, headers, muteExceptions);
    }

    public static boolean isForm(RoutingContext ctx) {
        return VertxPlatformHttpSupport.isFormUrlEncoded(ctx) || VertxPlatformHttpSupport.isMultiPartFormData(ctx);
    }

    public static boolean isMultiPartFormData(RoutingContext ctx) {
        return VertxPlatformHttpSupport.isMultiPartFormData(ctx);
    }
}
