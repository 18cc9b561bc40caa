package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.Dynalite;
import community.testing.LogCapture;
import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * RecordDB sorts DynamoDB's answers as DESIGN.md's table says: throttling, 5xx and timeouts are tried again,
 * validation errors, a missing table and refused credentials fail at once; each with the attempts and DynamoDB's
 * own words in the execution. DynamoDB is the real dynalite behind a proxy that answers for it, for one address,
 * what a troubled DynamoDB would.
 */
class RecordDbTest {

    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static final WireMockServer dynamoDb = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        Map<String, String> settings = Upstreams.settingsWithStoreProxy(upstreams, dynamoDb, "xoxs-record-db",
                "ac-record-db");
        settings.put("dynamodb.timeout", "1000");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        upstreams.stop();
        dynamoDb.stop();
    }

    @BeforeEach
    void everythingAnswersNormally() {
        dynamoDb.resetAll();
        Dynalite.behind(dynamoDb);
        upstreams.resetAll();
        Upstreams.answerNormally(upstreams);
    }

    /** The member's write (a create-only PutItem on the members table) for this address. */
    static MappingBuilder memberWrite(String email) {
        return WireMock.post(anyUrl()).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.PutItem"))
                .withRequestBody(containing("\"members-")).withRequestBody(containing(email));
    }

    static ResponseDefinitionBuilder dynamoDbError(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message
                        + "\"}");
    }

    /** Signs up and waits: the execution, once the other steps went on regardless of RecordDB. */
    static JsonNode signUp(String email) {
        Answer answer = service.postJson("/signup?wait=true",
                "{\"email\":\"" + email + "\",\"first_name\":\"Dee\",\"last_name\":\"Bee\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("results").path("RecordAC").path("status").asText())
                .as("the other steps go on").isEqualTo("SUCCEEDED");
        return answer.json();
    }

    @Test
    void throttling_a_server_error_and_a_timeout_are_each_tried_again_until_the_member_is_written() {
        String email = "troubled@example.org";
        dynamoDb.stubFor(memberWrite(email).atPriority(1).inScenario("troubled").whenScenarioStateIs(STARTED)
                .willReturn(dynamoDbError(400, "ProvisionedThroughputExceededException", "Slow down"))
                .willSetStateTo("throttled"));
        dynamoDb.stubFor(memberWrite(email).atPriority(1).inScenario("troubled").whenScenarioStateIs("throttled")
                .willReturn(dynamoDbError(500, "InternalServerError", "Internal server error"))
                .willSetStateTo("failed"));
        dynamoDb.stubFor(memberWrite(email).atPriority(1).inScenario("troubled").whenScenarioStateIs("failed")
                .willReturn(aResponse().proxiedFrom(Dynalite.endpoint()).withFixedDelay(1500))
                .willSetStateTo("slow"));
        dynamoDb.stubFor(memberWrite(email).atPriority(1).inScenario("troubled").whenScenarioStateIs("slow")
                .willReturn(aResponse().proxiedFrom(Dynalite.endpoint())));

        JsonNode execution = signUp(email);
        JsonNode result = execution.path("results").path("RecordDB");

        assertThat(result.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("attempts").asInt()).isEqualTo(4);
        assertThat(service.member(email)).containsKey("signed_up_at");
        JsonNode history = service.get("/signup/" + execution.path("executionId").asText() + "?history=true").json()
                .path("history");
        assertThat(history.findValuesAsText("error")).containsSubsequence("Throttled", "ServerError", "Timeout");
    }

    @Test
    void a_validation_error_fails_at_once_with_dynamodbs_words() {
        String email = "invalid@example.org";
        dynamoDb.stubFor(memberWrite(email).atPriority(1)
                .willReturn(dynamoDbError(400, "ValidationException", "One or more parameter values were invalid")));

        JsonNode execution = signUp(email);
        JsonNode result = execution.path("results").path("RecordDB");

        assertThat(execution.path("status").asText()).isEqualTo("FAILED");
        assertThat(result.path("status").asText()).isEqualTo("FAILED");
        assertThat(result.path("attempts").asInt()).isEqualTo(1);
        assertThat(result.path("error").asText()).isEqualTo("ValidationError");
        assertThat(result.path("cause").asText()).startsWith("RecordDB: DynamoDB answered ValidationException: "
                + "One or more parameter values were invalid (attempt 1 of 4)");
    }

    @Test
    void a_missing_table_or_refused_credentials_fail_at_once() {
        dynamoDb.stubFor(memberWrite("no-table@example.org").atPriority(1)
                .willReturn(dynamoDbError(400, "ResourceNotFoundException", "Requested resource not found")));
        dynamoDb.stubFor(memberWrite("denied@example.org").atPriority(1)
                .willReturn(dynamoDbError(400, "AccessDeniedException", "User is not authorized")));

        JsonNode noTable = signUp("no-table@example.org").path("results").path("RecordDB");
        JsonNode denied = signUp("denied@example.org").path("results").path("RecordDB");

        assertThat(noTable.path("error").asText()).isEqualTo("TableNotFound");
        assertThat(denied.path("error").asText()).isEqualTo("AccessDenied");
        for (JsonNode result : new JsonNode[] {noTable, denied}) {
            assertThat(result.path("status").asText()).isEqualTo("FAILED");
            assertThat(result.path("attempts").asInt()).isEqualTo(1);
        }
    }

    @Test
    void refused_credentials_tell_the_visitor_which_call_and_table_but_not_whose_identity_or_account() {
        String email = "denied-arn@example.org";
        dynamoDb.stubFor(memberWrite(email).atPriority(1).willReturn(dynamoDbError(400, "AccessDeniedException",
                "User: arn:aws:sts::123456789012:assumed-role/signup-service/jane.doe@example.com is not authorized to"
                        + " perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/members"
                        + " because no identity-based policy allows the dynamodb:PutItem action")));

        try (LogCapture log = LogCapture.start()) {
            JsonNode execution = signUp(email);
            String cause = execution.path("results").path("RecordDB").path("cause").asText();
            String page = service.get("/signup/" + execution.path("executionId").asText()).body();

            assertThat(cause).startsWith("RecordDB: DynamoDB answered AccessDeniedException: User: the service's AWS"
                    + " identity is not authorized to perform: dynamodb:PutItem on resource: table/members because");
            for (String seen : new String[] {cause, page, String.join("\n", log.messages())}) {
                assertThat(seen).doesNotContain("123456789012").doesNotContain("jane.doe")
                        .doesNotContain("signup-service");
            }
        }
    }

    @Test
    void the_public_health_check_names_what_was_refused_but_not_whose_identity_or_account() {
        dynamoDb.stubFor(WireMock.post(anyUrl()).atPriority(1)
                .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.DescribeTable"))
                .willReturn(dynamoDbError(400, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/"
                        + "jane.doe is not authorized to perform: dynamodb:DescribeTable on resource: "
                        + "arn:aws:dynamodb:eu-west-1:123456789012:table/executions")));

        Answer health = service.get("/observe/health");

        assertThat(health.status()).isEqualTo(503);
        // (Camel's health answer writes the table's "/" escaped: "table\\/executions")
        assertThat(health.json().path("checks").get(0).path("message").asText()).startsWith("DynamoDB does not "
                + "answer: User: the service's AWS identity is not authorized to perform: dynamodb:DescribeTable on "
                + "resource: table").contains("executions");
        assertThat(health.body()).doesNotContain("123456789012").doesNotContain("jane.doe");
    }
}
