package community;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import community.dynamodb.DynamoDbTables;
import community.execution.Execution;
import community.execution.ExecutionDocuments;
import community.signup.SignupRequest;
import community.testing.Dynalite;
import community.testing.RunningService;

/**
 * The executions' listing is keyed by the day they started, so that no partition key of the listing index holds
 * every execution there is; each day that has executions has a marker, through which the operator's listing pages
 * through all of them, newest first, across days and the days without any.
 */
class ListingByDayTest {

    static final String ADMIN_TOKEN = "operator-secret-token-2468-abcdefghijkl";
    static final Instant NOW = Instant.now();
    static RunningService service;
    static String table;
    /** Executions stored on earlier days, newest first: a day ago, two on one day, and five days ago. */
    static final List<Execution> EARLIER = new ArrayList<>();

    @BeforeAll
    static void start() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String members = "members-days-" + suffix;
        table = "executions-days-" + suffix;
        DynamoDbTables.createIfMissing(Dynalite.client(), members, table, Duration.ofMillis(50),
                Duration.ofSeconds(5));
        for (Instant startedAt : List.of(NOW.minus(1, ChronoUnit.DAYS), NOW.minus(2, ChronoUnit.DAYS),
                NOW.minus(2, ChronoUnit.DAYS).minus(3, ChronoUnit.HOURS), NOW.minus(5, ChronoUnit.DAYS))) {
            EARLIER.add(storedOnItsDay(table, startedAt));
        }
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("dynamodb.table", members);
        settings.put("dynamodb.executions-table", table);
        settings.put("signup.admin-token", ADMIN_TOKEN);
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** A finished execution as the service stored it on the day it started: under that day, and the day's marker. */
    static Execution storedOnItsDay(String table, Instant startedAt) {
        String email = "earlier-" + startedAt.toEpochMilli() + "@example.org";
        Execution execution = Execution.start(new SignupRequest(email, "Ear", "Lier"), startedAt,
                List.of("RecordDB", "RecordAC", "InviteSlack"));
        for (String step : List.of("RecordDB", "RecordAC", "InviteSlack")) {
            execution.stepSucceeded(step, startedAt.plusMillis(30), "done", null);
        }
        execution.settle(startedAt.plusMillis(40));
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("email", AttributeValue.fromS(email));
        item.put("executionId", AttributeValue.fromS(execution.executionId()));
        item.put("status", AttributeValue.fromS("SUCCEEDED"));
        item.put("startedAt", AttributeValue.fromS(ExecutionDocuments.iso(startedAt)));
        String day = ExecutionDocuments.iso(startedAt).substring(0, 10);
        item.put("listing", AttributeValue.fromS(day));
        item.put("document", AttributeValue.fromS(ExecutionDocuments.toJsonString(execution, true)));
        Dynalite.client().putItem(b -> b.tableName(table).item(item));
        Dynalite.client().putItem(b -> b.tableName(table).item(Map.of("email", AttributeValue.fromS("day#" + day),
                "listing", AttributeValue.fromS("days"), "startedAt", AttributeValue.fromS(day))));
        return execution;
    }

    static String listingKey(String email) {
        return Dynalite.client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("email", AttributeValue.fromS(email)))).item().get("listing").s();
    }

    static JsonNode operator(String path) {
        RunningService.Answer answer = service.send(HttpRequest.newBuilder(service.uri(path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
        assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
        return answer.json();
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("executions").forEach(e -> ids.add(e.path("executionId").asText()));
        return ids;
    }

    @Test
    void executions_are_listed_under_the_day_they_started() {
        int stored = service.executionItemCount();
        JsonNode done = service.postJson("/signup?wait=true",
                "{\"email\":\"today@example.org\",\"name\":\"To Day\"}").json();
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(listingKey("today@example.org")).isEqualTo(done.path("startedAt").asText().substring(0, 10));
        assertThat(service.executionItemCount()).isEqualTo(stored + 1);
        // the day markers are not executions: every execution of this class succeeded, and only they are listed
        assertThat(ids(operator("/executions?status=SUCCEEDED&limit=100"))).hasSize(stored + 1);
        assertThat(ids(operator("/executions?limit=100"))).hasSize(stored + 1);
    }

    @Test
    void the_listing_pages_newest_first_across_days() {
        List<String> expected = new ArrayList<>();
        for (String email : List.of("first-now@example.org", "second-now@example.org")) {
            JsonNode done = service.postJson("/signup?wait=true",
                    "{\"email\":\"" + email + "\",\"name\":\"Now Here\"}").json();
            expected.add(0, done.path("executionId").asText());
        }
        JsonNode all = operator("/executions?limit=100");
        List<String> listed = ids(all);
        // another test of this class may have signed someone up today, before these two
        listed.removeIf(id -> !expected.contains(id) && EARLIER.stream().noneMatch(e -> e.executionId().equals(id)));
        EARLIER.forEach(e -> expected.add(e.executionId()));
        assertThat(listed).containsExactlyElementsOf(expected);
        assertThat(all.path("nextCursor").isNull()).as(all.toString()).isTrue();

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = operator("/executions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.path("executions").size()).isLessThanOrEqualTo(2);
            paged.addAll(ids(page));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 20);
        assertThat(paged).as("every execution once, in the same order, a page at a time")
                .containsExactlyElementsOf(ids(all));
    }

    @Test
    void a_cursor_that_names_no_day_is_a_400() {
        String made = cursor("{\"email\":\"x@example.org\",\"listing\":\"everything\",\"startedAt\":\"2026\"}");
        RunningService.Answer answer = service.send(HttpRequest.newBuilder(service.uri("/executions?cursor=" + made))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
        assertThat(answer.status()).isEqualTo(400);
    }

    static String cursor(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
