package community.execution;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs stored executions through {@code direct:run-execution} without holding the caller's thread, and keeps the
 * ones in flight in memory so that their live progress (attempts, retries) can be read before they are stored
 * again at the end.
 */
public class ExecutionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRunner.class);

    private final CamelContext camelContext;
    private final ExecutionStore store;
    private final Clock clock;
    private final Map<String, Running> inFlight = new ConcurrentHashMap<>();
    private ProducerTemplate producer;

    private record Running(Execution execution, CompletableFuture<Execution> done) {
    }

    public ExecutionRunner(CamelContext camelContext, ExecutionStore store, Clock clock) {
        this.camelContext = camelContext;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Runs a newly stored execution, leaving its completion in the exchange property {@code completion}; an
     * execution this e-mail already had is left as it is.
     */
    public void launchIfCreated(Exchange exchange) {
        ExecutionStore.Start start = exchange.getIn().getBody(ExecutionStore.Start.class);
        if (start.created()) {
            exchange.setProperty("completion", launch(start.execution()));
        }
    }

    public CompletableFuture<Execution> launch(Execution execution) {
        Running running = new Running(execution, new CompletableFuture<>());
        Running already = inFlight.putIfAbsent(execution.executionId(), running);
        if (already != null) {
            return already.done();
        }
        Exchange exchange = new DefaultExchange(camelContext);
        exchange.setProperty("execution", execution);
        exchange.getIn().setBody(execution);
        producer().asyncSend("direct:run-execution", exchange).whenComplete((result, error) -> {
            inFlight.remove(execution.executionId());
            Throwable failure = error != null ? error : result.getException();
            if (failure != null) {
                LOG.error("Execution {} could not be completed: {}", execution.executionId(), failure.toString());
                running.done().completeExceptionally(failure);
            } else {
                running.done().complete(execution);
            }
        });
        return running.done();
    }

    /** Called by the route once every step has an outcome: settles the status and stores the execution. */
    public void finish(Execution execution) {
        ExecutionStatus status = execution.settle(clock.instant());
        store.save(execution);
        StringJoiner steps = new StringJoiner(", ");
        execution.results().forEach((step, r) -> steps.add(step + " " + r.status()
                + (r.error() == null ? "" : " " + r.error())
                + (r.startedAt() != null && r.stoppedAt() != null
                        ? " " + Duration.between(r.startedAt(), r.stoppedAt()).toMillis() + " ms" : "")));
        MDC.put("executionId", execution.executionId());
        try {
            LOG.info("Execution {} {} in {} ms: {}", execution.executionId(), status,
                    Duration.between(execution.startedAt(), execution.stoppedAt()).toMillis(), steps);
        } finally {
            MDC.remove("executionId");
        }
    }

    /** The execution's completion, if it runs here now. */
    public Optional<CompletableFuture<Execution>> completion(String executionId) {
        return Optional.ofNullable(inFlight.get(executionId)).map(Running::done);
    }

    /** The live execution if it runs here now, else the stored one. */
    public Optional<Execution> find(String executionId) {
        Running running = inFlight.get(executionId);
        return running != null ? Optional.of(running.execution()) : store.find(executionId);
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = camelContext.createProducerTemplate();
        }
        return producer;
    }
}
