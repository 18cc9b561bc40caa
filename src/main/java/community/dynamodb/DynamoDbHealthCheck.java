package community.dynamodb;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Ready only while DynamoDB answers: without it no sign-up can be stored, so none should be accepted. */
public class DynamoDbHealthCheck extends AbstractHealthCheck {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbHealthCheck(DynamoDbClient dynamoDb, String table) {
        super("signup", "dynamodb");
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public boolean isLiveness() {
        // DynamoDB being away is no reason to restart the service
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            dynamoDb.describeTable(b -> b.tableName(table));
            builder.up();
        } catch (RuntimeException e) {
            // the health check is public: DynamoDB's words without the service's identity
            builder.message("DynamoDB does not answer: " + DynamoDbConnection.withoutIdentities(e.getMessage()))
                    .down();
        }
    }
}
