package community.steps;

import java.time.Clock;
import java.util.Map;

import org.apache.camel.Exchange;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;

import community.execution.Execution;
import community.execution.ExecutionDocuments;
import community.signup.SignupRequest;

/**
 * The RecordDB step's writes, as camel-aws2-ddb headers: the member is first inserted only if absent (so
 * {@code signed_up_at} is the first sign-up's), and when already there, only the names are updated.
 */
public class MemberRecords {

    private static final String ITEM = "CamelAwsDdbItem";
    private static final String KEY = "CamelAwsDdbKey";
    private static final String CONDITION = "CamelAwsDdbUpdateCondition";
    private static final String UPDATES = "CamelAwsDdbUpdateValues";

    private final Clock clock;

    public MemberRecords(Clock clock) {
        this.clock = clock;
    }

    public void insert(Exchange exchange) {
        SignupRequest input = input(exchange);
        OutboundHeaders.clear(exchange.getIn());
        exchange.getIn().setHeader(ITEM, Map.of(
                "email", AttributeValue.fromS(input.email()),
                "first_name", AttributeValue.fromS(input.firstName()),
                "last_name", AttributeValue.fromS(input.lastName()),
                "signed_up_at", AttributeValue.fromS(ExecutionDocuments.iso(clock.instant()))));
        exchange.getIn().setHeader(CONDITION, Map.of("email", ExpectedAttributeValue.builder().exists(false).build()));
        exchange.setProperty("detail", "member added");
    }

    public void updateNames(Exchange exchange) {
        SignupRequest input = input(exchange);
        OutboundHeaders.clear(exchange.getIn());
        exchange.getIn().setHeader(KEY, Map.of("email", AttributeValue.fromS(input.email())));
        exchange.getIn().setHeader(UPDATES, Map.of(
                "first_name", put(input.firstName()),
                "last_name", put(input.lastName())));
        exchange.setProperty("detail", "member updated");
    }

    private static AttributeValueUpdate put(String value) {
        return AttributeValueUpdate.builder().action(AttributeAction.PUT).value(AttributeValue.fromS(value)).build();
    }

    private static SignupRequest input(Exchange exchange) {
        return exchange.getProperty("execution", Execution.class).input();
    }
}
