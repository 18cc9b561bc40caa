package community.dynamodb;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import community.execution.SignupMetrics;

/**
 * Counts the requests the service sends to DynamoDB, by operation, as they go on the wire (each SDK retry
 * counts), in {@code signup_dynamodb_requests}: the cost of durability, measured rather than estimated.
 */
public class DynamoDbRequests implements ExecutionInterceptor {

    private final SignupMetrics metrics;

    public DynamoDbRequests(SignupMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        metrics.dynamoDbRequest(name == null ? "unknown" : name);
    }
}
