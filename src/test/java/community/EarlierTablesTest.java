package community;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import community.execution.ExecutionStore;
import community.testing.Dynalite;
import community.testing.RunningService;

/**
 * Executions tables created by earlier versions keep whole copies of the documents in their indexes (this version
 * creates indexes of keys and reads the items by key): the service still finds and lists executions on them.
 */
class EarlierTablesTest {

    static final String ADMIN_TOKEN = "operator-secret-token-2468-abcdefghijkl";
    static RunningService service;

    @BeforeAll
    static void start() {
        String table = "executions-earlier-" + UUID.randomUUID().toString().substring(0, 8);
        Dynalite.client().createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key("email", KeyType.HASH))
                .attributeDefinitions(List.of("email", "executionId", "status", "startedAt", "listing").stream()
                        .map(name -> AttributeDefinition.builder().attributeName(name)
                                .attributeType(ScalarAttributeType.S).build()).toList())
                .globalSecondaryIndexes(wholeCopies(ExecutionStore.BY_ID_INDEX, key("executionId", KeyType.HASH)),
                        wholeCopies(ExecutionStore.BY_STATUS_INDEX, key("status", KeyType.HASH),
                                key("startedAt", KeyType.RANGE)),
                        wholeCopies(ExecutionStore.LISTING_INDEX, key("listing", KeyType.HASH),
                                key("startedAt", KeyType.RANGE))));
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("dynamodb.executions-table", table);
        settings.put("signup.admin-token", ADMIN_TOKEN);
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void an_execution_is_found_by_id_and_listed() {
        JsonNode done = service.postJson("/signup?wait=true",
                "{\"email\":\"earlier@example.org\",\"name\":\"Ear Lier\"}").json();
        String id = done.path("executionId").asText();
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");

        JsonNode found = service.get("/signup/" + id + "?history=true").json();
        assertThat(found.path("executionId").asText()).isEqualTo(id);
        assertThat(found.path("input").path("email").asText()).isEqualTo("earlier@example.org");
        assertThat(found.path("results").path("RecordDB").path("status").asText()).isEqualTo("SUCCEEDED");

        for (String listing : List.of("/executions", "/executions?status=SUCCEEDED")) {
            JsonNode page = service.send(HttpRequest.newBuilder(service.uri(listing))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).GET()).json();
            assertThat(page.path("executions").findValuesAsText("executionId")).as(listing).contains(id);
            assertThat(page.path("executions").get(0).path("input").path("email").asText()).as(listing)
                    .isEqualTo("earlier@example.org");
        }
    }

    private static GlobalSecondaryIndex wholeCopies(String name, KeySchemaElement... keys) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(keys)
                .projection(p -> p.projectionType(ProjectionType.ALL)).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
