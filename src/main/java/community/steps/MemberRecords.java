package community.steps;

import java.time.Clock;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;

import community.execution.Execution;
import community.execution.ExecutionDocuments;
import community.signup.SignupRequest;

/**
 * What RecordDB's {@code aws2-ddb:} PutItem writes: the member's item, keyed by e-mail, and the condition that makes
 * the write create-only (DynamoDB's {@code Expected} form, which camel-aws2-ddb sends). An address that is already
 * a member keeps its record as it is: whoever signs up again with it (after a FAILED execution, say) is not thereby
 * its owner, and {@code signed_up_at} stays the first sign-up's.
 */
public class MemberRecords {

    private static final Map<String, ExpectedAttributeValue> ONLY_IF_ABSENT =
            Map.of("email", ExpectedAttributeValue.builder().exists(false).build());

    private final Clock clock;

    public MemberRecords(Clock clock) {
        this.clock = clock;
    }

    /** Sets the headers of the create-only PutItem for the execution's person. */
    public void newMember(Exchange exchange) {
        SignupRequest input = exchange.getProperty("execution", Execution.class).input();
        exchange.getIn().setHeader(Ddb2Constants.ITEM, Map.of("email", AttributeValue.fromS(input.email()),
                "first_name", AttributeValue.fromS(input.firstName()),
                "last_name", AttributeValue.fromS(input.lastName()),
                "signed_up_at", AttributeValue.fromS(ExecutionDocuments.iso(clock.instant()))));
        exchange.getIn().setHeader(Ddb2Constants.UPDATE_CONDITION, ONLY_IF_ABSENT);
    }
}
