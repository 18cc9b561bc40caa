package community.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.engine.DefaultUnitOfWorkFactory;
import org.apache.camel.impl.engine.MDCUnitOfWork;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.UnitOfWork;
import org.slf4j.MDC;

import community.execution.Execution;

/**
 * Puts the execution's id in the MDC (key {@value #KEY}) of every log line written while Camel routes one of its
 * exchanges, Camel's own lines and an operator's {@code log} steps included. Camel's MDC logging
 * ({@code camel.main.use-mdc-logging}) carries the key across threads; this names the execution at the start of
 * each unit of work, the fan-out's copies included.
 */
public class ExecutionLogging extends DefaultUnitOfWorkFactory {

    public static final String KEY = "executionId";

    private InflightRepository inflight;
    private String pattern;
    private boolean allowUseOriginalMessage;
    private boolean useBreadcrumb;
    private boolean mdc;

    @Override
    public void afterPropertiesConfigured(CamelContext context) {
        super.afterPropertiesConfigured(context);
        inflight = context.getInflightRepository();
        mdc = Boolean.TRUE.equals(context.isUseMDCLogging());
        pattern = context.getMDCLoggingKeysPattern();
        allowUseOriginalMessage = Boolean.TRUE.equals(context.isAllowUseOriginalMessage());
        useBreadcrumb = Boolean.TRUE.equals(context.isUseBreadcrumb());
    }

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        return mdc ? new ExecutionUnitOfWork(exchange, inflight, pattern, allowUseOriginalMessage, useBreadcrumb)
                : super.createUnitOfWork(exchange);
    }

    private static final class ExecutionUnitOfWork extends MDCUnitOfWork {

        private final InflightRepository inflight;
        private final String pattern;
        private final boolean allowUseOriginalMessage;
        private final boolean useBreadcrumb;

        ExecutionUnitOfWork(Exchange exchange, InflightRepository inflight, String pattern,
                boolean allowUseOriginalMessage, boolean useBreadcrumb) {
            super(exchange, inflight, pattern, allowUseOriginalMessage, useBreadcrumb);
            this.inflight = inflight;
            this.pattern = pattern;
            this.allowUseOriginalMessage = allowUseOriginalMessage;
            this.useBreadcrumb = useBreadcrumb;
        }

        @Override
        protected void prepareMDC(Exchange exchange) {
            super.prepareMDC(exchange);
            if (exchange.getProperty("execution") instanceof Execution execution) {
                MDC.put(KEY, execution.executionId());
            }
        }

        @Override
        public UnitOfWork newInstance(Exchange exchange) {
            return new ExecutionUnitOfWork(exchange, inflight, pattern, allowUseOriginalMessage, useBreadcrumb);
        }
    }
}
