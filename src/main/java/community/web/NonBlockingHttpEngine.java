package community.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpAccess;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.util.CollectionHelper;

/**
 * Camel's platform-http on Vert.x, with one difference: a request's route starts on a worker thread as in Camel
 * (a route may block), but no thread waits for it to end. Camel's own consumer keeps the worker until the route is
 * done, so every {@code POST /signup?wait=true} held one of the pool's threads for as long as its execution ran (up
 * to {@code signup.wait-timeout}); as many waiting sign-ups as worker threads left every other request, the health
 * check included, queued behind them. Here the route goes on where its asynchronous steps complete, and the answer
 * is written from the request's own event loop.
 */
public class NonBlockingHttpEngine extends VertxPlatformHttpEngine {

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new NonBlockingConsumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
    }

    static final class NonBlockingConsumer extends VertxPlatformHttpConsumer {

        NonBlockingConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
                String routerName) {
            super(endpoint, processor, handlers, routerName);
        }

        @Override
        protected void handleRequest(RoutingContext ctx) {
            if (isSuspended()) {
                ctx.response().setStatusCode(503);
                ctx.end();
                return;
            }
            Context requestContext = Vertx.currentContext();
            Exchange exchange = createExchange(false);
            exchange.setPattern(ExchangePattern.InOut);
            processHttpRequest(exchange, ctx).onComplete(read -> {
                if (read.failed()) {
                    fail(exchange, ctx, read.cause());
                    return;
                }
                if (getEndpoint().isHttpProxy()) {
                    exchange.getExchangeExtension().setStreamCacheDisabled(true);
                    exchange.getMessage().setHeader(Exchange.HTTP_HOST, ctx.request().headers().get("Host"));
                    exchange.getMessage().removeHeader("Proxy-Connection");
                }
                if (getEndpoint().isUseBodyHandler()) {
                    populateForm(ctx, exchange.getIn());
                }
                ctx.vertx().executeBlocking(() -> {
                    createUoW(exchange);
                    getAsyncProcessor().process(exchange, doneSync -> {
                        if (Vertx.currentContext() == requestContext) {
                            answer(exchange, ctx);
                        } else {
                            requestContext.runOnContext(v -> answer(exchange, ctx));
                        }
                    });
                    return null;
                }, false).onFailure(failure -> fail(exchange, ctx, failure));
            });
        }

        private void answer(Exchange exchange, RoutingContext ctx) {
            VertxPlatformHttpAccess.writeResponse(ctx, exchange, getEndpoint().getHeaderFilterStrategy(),
                    getEndpoint().isMuteException()).onComplete(written -> {
                        if (written.succeeded()) {
                            complete(exchange);
                        } else {
                            fail(exchange, ctx, written.cause());
                        }
                    });
        }

        private void fail(Exchange exchange, RoutingContext ctx, Throwable failure) {
            getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(),
                    failure);
            ctx.fail(failure);
            if (getEndpoint().isHandleWriteResponseError() && failure != null) {
                Exception existing = exchange.getException();
                if (existing != null) {
                    failure.addSuppressed(existing);
                }
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
                exchange.setException(failure);
            }
            complete(exchange);
        }

        private void complete(Exchange exchange) {
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }

        /** A decoded form as the message's body (a map) and headers, as Camel's consumer gives it. */
        private void populateForm(RoutingContext ctx, Message message) {
            if (!VertxPlatformHttpAccess.isForm(ctx)) {
                return;
            }
            HeaderFilterStrategy filter = getEndpoint().getHeaderFilterStrategy();
            MultiMap form = ctx.request().formAttributes();
            Map<String, Object> body = new HashMap<>();
            for (String key : form.names()) {
                for (String value : form.getAll(key)) {
                    if (filter != null && !filter.applyFilterToExternalHeaders(key, value, message.getExchange())) {
                        CollectionHelper.appendEntry(message.getHeaders(), key, value);
                        if (getEndpoint().isPopulateBodyWithForm()) {
                            CollectionHelper.appendEntry(body, key, value);
                        }
                    }
                }
            }
            if (!body.isEmpty()) {
                message.setBody(body);
            }
            if (VertxPlatformHttpAccess.isMultiPartFormData(ctx)) {
                populateAttachments(ctx.fileUploads(), message);
            }
        }
    }
}
