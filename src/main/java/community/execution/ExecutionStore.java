package community.execution;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import community.signup.SignupRequest;

/**
 * Keeps executions in DynamoDB. One item per e-mail address holds that address's current execution, so a single
 * conditional write both stores a new execution and decides whether the address already has one: twenty
 * simultaneous sign-ups with one e-mail cannot start two executions. Look-ups by id go through the
 * {@value #BY_ID_INDEX} index, listings by status through {@value #BY_STATUS_INDEX}; nothing scans the table.
 * A FAILED execution that a new sign-up replaces is kept under the key {@code archived#<executionId>}.
 */
public class ExecutionStore {

    public static final String BY_ID_INDEX = "executionId-index";
    public static final String BY_STATUS_INDEX = "status-index";
    private static final String ARCHIVED = "archived#";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public ExecutionStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /** The outcome of a sign-up: a new execution to run, or the one this e-mail already has. */
    public record Start(Execution execution, boolean created) {
    }

    public Start start(SignupRequest request) {
        Execution fresh = Execution.start(request, clock.instant());
        Map<String, AttributeValue> item = item(request.email(), fresh);
        if (put(item, "attribute_not_exists(email)", Map.of())) {
            return new Start(fresh, true);
        }
        // The e-mail has an execution. A few rounds at most: each failed condition means that another request
        // changed the item in between.
        for (int round = 0; round < 5; round++) {
            Optional<Execution> existing = current(request.email());
            if (existing.isEmpty()) {
                if (put(item, "attribute_not_exists(email)", Map.of())) {
                    return new Start(fresh, true);
                }
                continue;
            }
            Execution previous = existing.get();
            if (previous.status() != ExecutionStatus.FAILED) {
                return new Start(previous, false);
            }
            dynamoDb.putItem(b -> b.tableName(table).item(item(ARCHIVED + previous.executionId(), previous)));
            if (put(item, "executionId = :previous",
                    Map.of(":previous", AttributeValue.fromS(previous.executionId())))) {
                return new Start(fresh, true);
            }
        }
        throw new IllegalStateException("could not store the execution: the e-mail's record kept changing");
    }

    public Optional<Execution> find(String executionId) {
        QueryResponse response = dynamoDb.query(b -> b.tableName(table).indexName(BY_ID_INDEX)
                .keyConditionExpression("executionId = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(executionId))));
        return response.items().stream().findFirst().map(ExecutionStore::execution);
    }

    /** Writes the execution's current state, unless its e-mail has meanwhile moved on to another execution. */
    public void save(Execution execution) {
        String key = execution.input().email();
        Map<String, AttributeValue> item = item(key, execution);
        if (!put(item, "executionId = :id", Map.of(":id", AttributeValue.fromS(execution.executionId())))) {
            dynamoDb.putItem(b -> b.tableName(table).item(item(ARCHIVED + execution.executionId(), execution)));
        }
    }

    public List<Execution> byStatus(ExecutionStatus status, int limit) {
        QueryResponse response = dynamoDb.query(b -> b.tableName(table).indexName(BY_STATUS_INDEX)
                .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(status.name())))
                .scanIndexForward(false).limit(limit));
        return response.items().stream().map(ExecutionStore::execution).toList();
    }

    private Optional<Execution> current(String email) {
        GetItemResponse response = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("email", AttributeValue.fromS(email))));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(execution(response.item())) : Optional.empty();
    }

    private boolean put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression(condition)
                    .expressionAttributeValues(values.isEmpty() ? null : values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> item(String key, Execution execution) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("email", AttributeValue.fromS(key));
        item.put("executionId", AttributeValue.fromS(execution.executionId()));
        item.put("status", AttributeValue.fromS(execution.status().name()));
        item.put("startedAt", AttributeValue.fromS(ExecutionDocuments.iso(execution.startedAt())));
        item.put("document", AttributeValue.fromS(ExecutionDocuments.toJsonString(execution, true)));
        return item;
    }

    private static Execution execution(Map<String, AttributeValue> item) {
        return ExecutionDocuments.fromJsonString(item.get("document").s());
    }
}
