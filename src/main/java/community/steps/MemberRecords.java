package community.steps;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Exchange;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import community.dynamodb.DynamoDbHttp;
import community.execution.Execution;
import community.execution.ExecutionDocuments;
import community.signup.SignupRequest;

/**
 * The RecordDB step's write: one UpdateItem on the members table, keyed by e-mail, that sets the names and sets
 * {@code signed_up_at} only when absent, so it stays the first sign-up's. DynamoDB's answer (the item as it was)
 * says whether the member was added or updated. Sent without holding a thread: Camel continues the step when the
 * returned future completes.
 */
public class MemberRecords {

    private final DynamoDbHttp dynamoDb;
    private final String table;
    private final Clock clock;

    public MemberRecords(DynamoDbHttp dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    public CompletableFuture<Void> write(Exchange exchange) {
        SignupRequest input = exchange.getProperty("execution", Execution.class).input();
        return dynamoDb.updateItem(table, Map.of("email", AttributeValue.fromS(input.email())),
                "SET first_name = :first, last_name = :last, signed_up_at = if_not_exists(signed_up_at, :now)", null,
                null, Map.of(":first", AttributeValue.fromS(input.firstName()),
                        ":last", AttributeValue.fromS(input.lastName()),
                        ":now", AttributeValue.fromS(ExecutionDocuments.iso(clock.instant()))), "ALL_OLD")
                .thenAccept(answer -> exchange.setProperty("detail",
                        answer.path("Attributes").isEmpty() ? "member added" : "member updated"));
    }
}
