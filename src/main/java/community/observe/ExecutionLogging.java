package community.observe;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.slf4j.MDC;

import community.execution.Execution;
import community.routes.HttpRequestHold;

/**
 * Creates Camel's units of work, for two purposes. It puts the execution's id in the MDC (key {@value #KEY}) of
 * every log line written while Camel routes one of its exchanges, on whichever thread: Camel's own lines and an
 * operator's {@code log} steps included. Camel's MDC logging does the same for its own keys, at a cost (a regular
 * expression per key per step when custom keys are carried) that showed as a fifth of the service's CPU under load;
 * this carries only the one key, and only for executions. And it tells the {@link HttpRequestHold} when an HTTP
 * request reaches its route.
 */
public class ExecutionLogging implements UnitOfWorkFactory {

    public static final String KEY = "executionId";

    private final HttpRequestHold requests;
    private InflightRepository inflight;
    private boolean allowUseOriginalMessage;
    private boolean useBreadcrumb;

    /** @param requests told when an HTTP request reaches its route, so that a route reload can wait for it */
    public ExecutionLogging(HttpRequestHold requests) {
        this.requests = requests;
    }

    @Override
    public void afterPropertiesConfigured(CamelContext context) {
        inflight = context.getInflightRepository();
        allowUseOriginalMessage = Boolean.TRUE.equals(context.isAllowUseOriginalMessage());
        useBreadcrumb = Boolean.TRUE.equals(context.isUseBreadcrumb());
    }

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        if (exchange.getIn() instanceof HttpMessage http) {
            requests.entered(http.getRequest());
        }
        return new ExecutionUnitOfWork(exchange, inflight, allowUseOriginalMessage, useBreadcrumb);
    }

    private static final class ExecutionUnitOfWork extends DefaultUnitOfWork {

        private final String executionId;

        ExecutionUnitOfWork(Exchange exchange, InflightRepository inflight, boolean allowUseOriginalMessage,
                boolean useBreadcrumb) {
            super(exchange, inflight, allowUseOriginalMessage, useBreadcrumb);
            this.executionId = exchange.getProperty("execution") instanceof Execution execution
                    ? execution.executionId() : null;
        }

        @Override
        public boolean isBeforeAfterProcess() {
            return executionId != null;
        }

        @Override
        public AsyncCallback beforeProcess(Processor processor, Exchange exchange, AsyncCallback callback) {
            MDC.put(KEY, executionId);
            AsyncCallback next = super.beforeProcess(processor, exchange, callback);
            return doneSync -> {
                if (!doneSync) {
                    // continued on another thread: it logs for this execution now
                    MDC.put(KEY, executionId);
                }
                next.done(doneSync);
            };
        }

        @Override
        public void afterProcess(Processor processor, Exchange exchange, AsyncCallback callback, boolean doneSync) {
            super.afterProcess(processor, exchange, callback, doneSync);
            MDC.remove(KEY);
        }

        @Override
        public void done(Exchange exchange) {
            super.done(exchange);
            if (executionId != null) {
                MDC.remove(KEY);
            }
        }
    }
}
