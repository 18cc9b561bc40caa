package community.dynamodb;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
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
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

import community.execution.ExecutionStore;

/**
 * Creates the members and executions tables when they are missing, and waits until they are active; refuses tables
 * that are not shaped as the service writes them.
 */
public final class DynamoDbTables {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTables.class);
    private static final String MEMBERS_VARIABLE = "DYNAMODB_TABLE";
    private static final String EXECUTIONS_VARIABLE = "DYNAMODB_EXECUTIONS_TABLE";
    /** Longer than AWS takes to create a table with its indexes, by far. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private DynamoDbTables() {
    }

    /**
     * Creates what is missing, both tables at once, then waits until both are active: polling every
     * {@code pollEvery} (the SDK's waiter polls every 20 s by default, which made a first start take 40 s) and
     * saying every {@code reportEvery} that it is still waiting.
     */
    public static void createIfMissing(DynamoDbClient dynamoDb, String membersTable, String executionsTable,
            Duration pollEvery, Duration reportEvery) {
        boolean createdMembers = create(dynamoDb, members(membersTable), MEMBERS_VARIABLE);
        boolean createdExecutions = create(dynamoDb, executions(executionsTable), EXECUTIONS_VARIABLE);
        if (!createdMembers && !createdExecutions) {
            return;
        }
        long started = System.nanoTime();
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(dynamoDb)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategy(FixedDelayBackoffStrategy.create(pollEvery)).maxAttempts(Integer.MAX_VALUE)
                        .waitTimeout(reportEvery).build())
                .build()) {
            for (String table : List.of(membersTable, executionsTable)) {
                awaitActive(dynamoDb, waiter, table, started);
            }
        }
        LOG.info("DynamoDB tables {} and {} are active after {} ms", membersTable, executionsTable,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * Both tables exist with the keys and indexes the service writes and reads, where the service may not create
     * them (SIGNUP_DYNAMODB_CREATE_TABLES=false); {@link #createIfMissing} checks the ones it finds itself.
     */
    public static void requireTables(DynamoDbClient dynamoDb, String membersTable, String executionsTable) {
        requireExisting(dynamoDb, members(membersTable), MEMBERS_VARIABLE);
        requireExisting(dynamoDb, executions(executionsTable), EXECUTIONS_VARIABLE);
    }

    private static void requireExisting(DynamoDbClient dynamoDb, CreateTableRequest wanted, String variable) {
        try {
            requireShape(dynamoDb.describeTable(b -> b.tableName(wanted.tableName())).table(), wanted, variable);
        } catch (ResourceNotFoundException missing) {
            throw new StoreNotStarted("DynamoDB table " + wanted.tableName() + " (" + variable + ") does not exist, "
                    + "and SIGNUP_DYNAMODB_CREATE_TABLES is false: create it as the README's Storage says, or let the "
                    + "service create it", missing);
        }
    }

    /**
     * A table found is shaped as the service would create it: its key, and each index with its key. A table it did
     * not make, such as a members table kept from another stack and keyed by {@code id}, had the service start and
     * answer healthy, and then fail every sign-up's RecordDB ("Missing the key id in the item"); an executions table
     * without its indexes, every status page and listing.
     */
    private static void requireShape(TableDescription found, CreateTableRequest wanted, String variable) {
        String problem = mismatch(found, wanted);
        if (problem != null) {
            throw new StoreNotStarted("DynamoDB table " + found.tableName() + " (" + variable + ") " + problem
                    + ": it is not one this service made. Name a table that does not exist yet, which the service "
                    + "creates, or one made as the README's Storage says", null);
        }
    }

    /** How the table found differs from the one wanted (its key first, then the first index it lacks), or null. */
    private static String mismatch(TableDescription found, CreateTableRequest wanted) {
        String has = keys(found.keySchema(), found.attributeDefinitions());
        String needs = keys(wanted.keySchema(), wanted.attributeDefinitions());
        if (!has.equals(needs)) {
            return "is keyed by " + has + ", not by " + needs;
        }
        for (GlobalSecondaryIndex index : wanted.globalSecondaryIndexes()) {
            String indexNeeds = keys(index.keySchema(), wanted.attributeDefinitions());
            if (found.globalSecondaryIndexes().stream().noneMatch(is -> is.indexName().equals(index.indexName())
                    && keys(is.keySchema(), found.attributeDefinitions()).equals(indexNeeds))) {
                return "has no index " + index.indexName() + " keyed by " + indexNeeds;
            }
        }
        return null;
    }

    /** A key schema as words: {@code email (S)}, {@code status (S), startedAt (S)}. */
    private static String keys(List<KeySchemaElement> schema, List<AttributeDefinition> attributes) {
        return schema.stream().map(key -> key.attributeName() + " (" + attributes.stream()
                .filter(a -> a.attributeName().equals(key.attributeName())).map(AttributeDefinition::attributeTypeAsString)
                .findFirst().orElse("?") + ")").collect(Collectors.joining(", "));
    }

    private static CreateTableRequest members(String table) {
        return CreateTableRequest.builder().tableName(table)
                .keySchema(key("email", KeyType.HASH))
                .attributeDefinitions(string("email"))
                .billingMode(BillingMode.PAY_PER_REQUEST).build();
    }

    private static CreateTableRequest executions(String table) {
        return CreateTableRequest.builder().tableName(table)
                .keySchema(key("email", KeyType.HASH))
                .attributeDefinitions(string("email"), string("executionId"), string("status"), string("startedAt"),
                        string("listing"))
                // The indexes hold keys (and the lease's end, which the look for abandoned executions filters on),
                // not copies of the documents: every execution is written twice, each write also rewrites its
                // index entries, and copying the document into three of them tripled the outcome's cost in
                // dynalite. Readers fetch the documents by key (ExecutionStore).
                .globalSecondaryIndexes(
                        index(ExecutionStore.BY_ID_INDEX, keysOnly(), key("executionId", KeyType.HASH)),
                        index(ExecutionStore.BY_STATUS_INDEX, Projection.builder()
                                        .projectionType(ProjectionType.INCLUDE).nonKeyAttributes("leaseUntil").build(),
                                key("status", KeyType.HASH), key("startedAt", KeyType.RANGE)),
                        index(ExecutionStore.LISTING_INDEX, keysOnly(), key("listing", KeyType.HASH),
                                key("startedAt", KeyType.RANGE)))
                .billingMode(BillingMode.PAY_PER_REQUEST).build();
    }

    /** Waits until the table is active, saying so each time {@code reportEvery} passes; at most {@link #MAX_WAIT}. */
    private static void awaitActive(DynamoDbClient dynamoDb, DynamoDbWaiter waiter, String table, long started) {
        for (;;) {
            try {
                // returns once the table is ACTIVE; its other ends are exceptions
                waiter.waitUntilTableExists(b -> b.tableName(table));
                return;
            } catch (SdkClientException notYet) {
                // the waiter's time is up, or it met an answer it does not expect: asking once more tells which
                String status;
                try {
                    status = dynamoDb.describeTable(b -> b.tableName(table)).table().tableStatusAsString();
                } catch (ResourceNotFoundException notVisibleYet) {
                    status = "not visible yet";
                }
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                if (waited.compareTo(MAX_WAIT) >= 0) {
                    throw new IllegalStateException("DynamoDB table " + table + " is not active after "
                            + waited.toSeconds() + " s (" + status + ")", notYet);
                }
                LOG.info("Waiting for DynamoDB table {} to become active: {} after {} s", table, status,
                        waited.toSeconds());
            }
        }
    }

    /** Creates the table when it is missing, or checks the one there; true when it may not be active yet. */
    private static boolean create(DynamoDbClient dynamoDb, CreateTableRequest request, String variable) {
        String table = request.tableName();
        try {
            TableDescription found = dynamoDb.describeTable(b -> b.tableName(table)).table();
            requireShape(found, request, variable);
            return found.tableStatus() != TableStatus.ACTIVE;
        } catch (ResourceNotFoundException missing) {
            try {
                dynamoDb.createTable(request);
                LOG.info("Creating DynamoDB table {}", table);
            } catch (ResourceInUseException createdMeanwhile) {
                LOG.debug("Table {} was created by another instance", table);
            }
            return true;
        }
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
