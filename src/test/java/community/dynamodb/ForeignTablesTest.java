package community.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import community.testing.Dynalite;
import community.testing.RunningService;

/**
 * The service starts only on tables shaped as it writes them. A members table kept from another stack, keyed by
 * {@code id}, had it start and answer healthy, then fail every sign-up's RecordDB ("Missing the key id in the
 * item"); a missing table with SIGNUP_DYNAMODB_CREATE_TABLES=false, every sign-up.
 */
class ForeignTablesTest {

    static String table(String key, ScalarAttributeType type) {
        String name = "foreign-" + UUID.randomUUID().toString().substring(0, 8);
        Dynalite.client().createTable(b -> b.tableName(name)
                .keySchema(KeySchemaElement.builder().attributeName(key).keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(key).attributeType(type).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        return name;
    }

    static String refusal(Map<String, String> settings) {
        Map<String, String> all = RunningService.quickSettings();
        all.putAll(settings);
        Throwable thrown = null;
        try {
            RunningService.start(all).close();
        } catch (IllegalStateException e) {
            thrown = e;
        }
        assertThat(thrown).as("the start").isNotNull();
        Throwable refused = thrown;
        while (refused != null && !(refused instanceof StoreNotStarted)) {
            refused = refused.getCause();
        }
        assertThat(refused).as("what stopped the start").isNotNull();
        return refused.getMessage();
    }

    static Stream<Arguments> a_table_shaped_otherwise_stops_the_start_naming_it_and_what_it_lacks() {
        return Stream.of(
                arguments("members keyed by another attribute", "dynamodb.table", "id", ScalarAttributeType.S,
                        "(DYNAMODB_TABLE) is keyed by id (S), not by email (S): it is not one this service made. Name "
                                + "a table that does not exist yet, which the service creates, or one made as the "
                                + "README's Storage says"),
                arguments("members keyed by a numeric e-mail", "dynamodb.table", "email", ScalarAttributeType.N,
                        "(DYNAMODB_TABLE) is keyed by email (N), not by email (S): it is not one this service made"),
                arguments("executions without the service's indexes", "dynamodb.executions-table", "email",
                        ScalarAttributeType.S, "(DYNAMODB_EXECUTIONS_TABLE) has no index executionId-index keyed by "
                                + "executionId (S): it is not one this service made"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void a_table_shaped_otherwise_stops_the_start_naming_it_and_what_it_lacks(String what, String setting, String key,
            ScalarAttributeType type, String problem) {
        String table = table(key, type);

        assertThat(refusal(Map.of(setting, table))).startsWith("DynamoDB table " + table + " " + problem);
    }

    @Test
    void a_missing_table_the_service_may_not_create_stops_the_start_saying_so() {
        String missing = "missing-" + UUID.randomUUID().toString().substring(0, 8);

        assertThat(refusal(Map.of("dynamodb.table", missing, "signup.dynamodb.create-tables", "false")))
                .startsWith("DynamoDB table " + missing + " (DYNAMODB_TABLE) does not exist, and "
                        + "SIGNUP_DYNAMODB_CREATE_TABLES is false");
    }
}
