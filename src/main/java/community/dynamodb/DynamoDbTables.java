package community.dynamodb;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import community.execution.ExecutionStore;

/** Creates the members and executions tables when they are missing, and waits until they are active. */
public final class DynamoDbTables {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTables.class);

    private DynamoDbTables() {
    }

    public static void createIfMissing(DynamoDbClient dynamoDb, String membersTable, String executionsTable) {
        create(dynamoDb, CreateTableRequest.builder().tableName(membersTable)
                .keySchema(key("email", KeyType.HASH))
                .attributeDefinitions(string("email"))
                .billingMode(BillingMode.PAY_PER_REQUEST).build());
        create(dynamoDb, CreateTableRequest.builder().tableName(executionsTable)
                .keySchema(key("email", KeyType.HASH))
                .attributeDefinitions(string("email"), string("executionId"), string("status"), string("startedAt"),
                        string("listing"))
                // The indexes hold keys (and the lease's end, which the look for abandoned executions filters on),
                // not copies of the documents: every execution is written twice, each write also rewrites its
                // index entries, and copying the document into three of them tripled the outcome's cost in
                // dynalite. Readers fetch the documents by key (ExecutionStore). Tables created with whole
                // copies by earlier versions keep working.
                .globalSecondaryIndexes(
                        index(ExecutionStore.BY_ID_INDEX, keysOnly(), key("executionId", KeyType.HASH)),
                        index(ExecutionStore.BY_STATUS_INDEX, Projection.builder()
                                        .projectionType(ProjectionType.INCLUDE).nonKeyAttributes("leaseUntil").build(),
                                key("status", KeyType.HASH), key("startedAt", KeyType.RANGE)),
                        index(ExecutionStore.LISTING_INDEX, keysOnly(), key("listing", KeyType.HASH),
                                key("startedAt", KeyType.RANGE)))
                .billingMode(BillingMode.PAY_PER_REQUEST).build());
    }

    private static void create(DynamoDbClient dynamoDb, CreateTableRequest request) {
        String table = request.tableName();
        try {
            dynamoDb.describeTable(b -> b.tableName(table));
        } catch (ResourceNotFoundException missing) {
            try {
                dynamoDb.createTable(request);
                LOG.info("Created DynamoDB table {}", table);
            } catch (ResourceInUseException createdMeanwhile) {
                LOG.debug("Table {} was created by another instance", table);
            }
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    private static GlobalSecondaryIndex index(String name, Projection projection, KeySchemaElement... keys) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(List.of(keys)).projection(projection).build();
    }

    private static Projection keysOnly() {
        return Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
