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
 * address that is already a member an UpdateItem that only fills in names the record lacks. A new sign-up with a
 * recorded address (after a FAILED one, say) comes from whoever typed it, who is not thereby its owner: it never
 * overwrites the member's names, and {@code signed_up_at} stays the first sign-up's. Sent without holding a
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
     * Creates the member's record, or when the address is already a member, keeps it as it is (filling in only
     * names it lacks). A new member (nearly every sign-up) takes one request; a returning one two.
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
                                "SET first_name = if_not_exists(first_name, :first), "
                                        + "last_name = if_not_exists(last_name, :last)", null, null,
                                Map.of(":first", first, ":last", last), null)
                                .thenApply(updated -> "member already recorded"))
                .thenAccept(detail -> exchange.setProperty("detail", detail));
    }
}
