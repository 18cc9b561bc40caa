package community.dynamodb;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import community.execution.SignupMetrics;

/**
 * Counts the requests the service sends to DynamoDB, by operation, as they go on the wire (each SDK retry
 * counts): the cost of durability, measured rather than estimated.
 */
public class DynamoDbRequests implements ExecutionInterceptor {

    private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();
    private final SignupMetrics metrics;

    public DynamoDbRequests(SignupMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        sent(name == null ? "unknown" : name);
    }

    /** One request on its way to DynamoDB. */
    public void sent(String operation) {
        byOperation.computeIfAbsent(operation, k -> new LongAdder()).increment();
        metrics.dynamoDbRequest(operation);
    }

    public long total() {
        return byOperation.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> byOperation() {
        Map<String, Long> counts = new TreeMap<>();
        byOperation.forEach((operation, count) -> counts.put(operation, count.sum()));
        return counts;
    }
}
