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
 * The RecordDB step's write on the members table, keyed by e-mail: a PutItem that only creates, and for an
 * address that is already a member an UpdateItem of the names, so that {@code signed_up_at} stays the first
 * sign-up's. Which of the two went through says whether the member was added or updated. Sent without holding a
 * thread: Camel continues the step when the returned future completes.
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

    /**
     * Creates the member's record, or when the address is already a member, updates the names and keeps the first
     * {@code signed_up_at}. A new member (nearly every sign-up) takes one request; a returning one two.
     */
    public CompletableFuture<Void> write(Exchange exchange) {
        SignupRequest input = exchange.getProperty("execution", Execution.class).input();
        AttributeValue email = AttributeValue.fromS(input.email());
        AttributeValue first = AttributeValue.fromS(input.firstName());
        AttributeValue last = AttributeValue.fromS(input.lastName());
        Map<String, AttributeValue> member = Map.of("email", email, "first_name", first, "last_name", last,
                "signed_up_at", AttributeValue.fromS(ExecutionDocuments.iso(clock.instant())));
        return DynamoDbHttp.conditionHeld(dynamoDb.putItemIfAbsent(table, member, "email"))
                .thenCompose(added -> added ? CompletableFuture.completedFuture("member added")
                        : dynamoDb.updateItem(table, Map.of("email", email),
                                "SET first_name = :first, last_name = :last", null, null,
                                Map.of(":first", first, ":last", last), null).thenApply(updated -> "member updated"))
                .thenAccept(detail -> exchange.setProperty("detail", detail));
    }
}
