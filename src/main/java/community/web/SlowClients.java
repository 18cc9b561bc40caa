package community.web;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps slow or silent clients from holding the HTTP server's connections:
 * <ul>
 * <li>a connection with nothing going on (no request started since the last answer, or none at all) is closed
 * after {@code signup.idle-timeout};</li>
 * <li>once a client starts sending a request, its headers must be in within {@code signup.header-timeout}, or the
 * connection is closed (a client trickling a header byte every few seconds gains nothing);</li>
 * <li>its body must then be in within the same time, or it gets a {@code 408} and the connection is closed.</li>
 * </ul>
 * The time the service itself takes to answer (a {@code ?wait=true} sign-up waits for its steps) is not limited
 * here. Camel's platform-http server offers no hook into Vert.x's server options, so each accepted connection is
 * given a guard at the front of its pipeline through the listening channel, and the router tells the guard when a
 * request has been read and when its answer has gone.
 */
public class SlowClients implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(SlowClients.class);

    private final long idleMillis;
    private final long headerMillis;

    public SlowClients(Duration idle, Duration header) {
        this.idleMillis = idle.toMillis();
        this.headerMillis = header.toMillis();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        for (VertxPlatformHttpServer server : context.hasServices(VertxPlatformHttpServer.class)) {
            ChannelPipeline pipeline = listeningChannel(server.getServer()).pipeline();
            if (pipeline.get(Acceptor.class) == null) {
                pipeline.addFirst("signup-slow-clients", new Acceptor());
            }
        }
        // the management endpoints share the API's port, server and router
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            router.route().order(Integer.MIN_VALUE).handler(this::requestRead);
        }
        LOG.info("Connections idle for {} ms are closed; a request's headers, then its body, get {} ms each",
                idleMillis, headerMillis);
    }

    private void requestRead(RoutingContext ctx) {
        Guard guard = guard(ctx.request().connection());
        if (guard != null) {
            guard.requestRead(ctx);
        }
        ctx.next();
    }

    private static Guard guard(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            return base.channel().pipeline().get(Guard.class);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Channel listeningChannel(HttpServer server) throws ReflectiveOperationException {
        Field bind = TCPServerBase.class.getDeclaredField("bindFuture");
        bind.setAccessible(true);
        Future<Channel> bound = (Future<Channel>) bind.get(server);
        if (bound == null || bound.result() == null) {
            // Vert.x logs the bind's own error (say, the port is in use) as an unhandled exception just before
            throw new IllegalStateException("the HTTP server is not listening on port " + server.actualPort()
                    + (bound != null && bound.cause() != null ? ": " + bound.cause().getMessage() : "")
                    + " (is another process using SIGNUP_PORT?)");
        }
        return bound.result();
    }

    /** On the listening channel: gives every accepted connection its guard, before Vert.x sets it up. */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                child.pipeline().addFirst("signup-slow-client-guard", new Guard());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** One connection's state: waiting for a request, receiving one, or answering one. */
    private final class Guard extends ChannelInboundHandlerAdapter {
        /** Requests read and not yet answered: several at once over HTTP/2. */
        private int answering;
        private boolean receiving;
        private ScheduledFuture<?> deadline;
        private ChannelHandlerContext channel;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            waitFor(idleMillis);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (answering == 0 && !receiving) {
                // the first bytes of a request: its headers have this long to arrive
                receiving = true;
                waitFor(headerMillis);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        /** Vert.x has read a request's headers; the body gets as long again, then the answer is ours to give. */
        void requestRead(RoutingContext request) {
            ScheduledFuture<?>[] bodyDeadline = new ScheduledFuture<?>[1];
            onLoop(() -> {
                answering++;
                receiving = false;
                cancel();
                if (!request.request().isEnded()) {
                    bodyDeadline[0] = channel.executor().schedule(() -> bodyTooSlow(request), headerMillis,
                            TimeUnit.MILLISECONDS);
                }
            });
            request.addEndHandler(ended -> onLoop(() -> {
                if (bodyDeadline[0] != null) {
                    bodyDeadline[0].cancel(false);
                }
                answering--;
                if (answering == 0) {
                    receiving = false;
                    waitFor(idleMillis);
                }
            }));
        }

        private void bodyTooSlow(RoutingContext request) {
            if (request.request().isEnded() || request.response().ended()) {
                return;
            }
            LOG.debug("Closing a connection from {}: the request body did not arrive in time",
                    request.request().remoteAddress());
            if (!request.response().headWritten()) {
                request.response().setStatusCode(408).putHeader("Connection", "close")
                        .putHeader("Content-Type", "application/json; charset=utf-8")
                        .end(JsonAnswers.error("the request body did not arrive within " + headerMillis + " ms", null));
            }
            request.response().close();
        }

        private void waitFor(long millis) {
            cancel();
            deadline = channel.executor().schedule(() -> {
                LOG.debug("Closing a connection from {}: {}", channel.channel().remoteAddress(),
                        receiving ? "its request headers did not arrive in time" : "idle");
                channel.close();
            }, millis, TimeUnit.MILLISECONDS);
        }

        private void cancel() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        private void onLoop(Runnable task) {
            if (channel.executor().inEventLoop()) {
                task.run();
            } else {
                channel.executor().execute(task);
            }
        }
    }
}
