package community.execution;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The executions' listings, newest first, a page at a time: of one status through {@value
 * ExecutionStore#BY_STATUS_INDEX}, all of them through {@value ExecutionStore#LISTING_INDEX}. That one is keyed by
 * the day an execution started (UTC), so that no partition key holds every execution there is; each day that has
 * executions has a marker item ({@code day#<day>}) under the key {@code days}, through which a listing steps back
 * from one day to the next older one that has any.
 */
final class ExecutionListing {

    /** The listing's partition key of the day markers. */
    private static final String DAYS = "days";
    private static final String DAY_MARKER = "day#";
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final ObjectMapper JSON = Json.PLAIN;
    private static final String NOT_OURS = "the cursor is not one this service gave out";

    private final DynamoDbClient reads;
    private final DynamoDbClient writes;
    private final String table;
    private final Clock clock;
    /** The executions of index entries, in the same order (the indexes hold keys: ExecutionStore reads them). */
    private final Function<List<Map<String, AttributeValue>>, List<Execution>> documents;
    /** The days whose marker this instance has written (a marker is written once, by whoever comes first). */
    private final Map<String, Boolean> markedDays = new ConcurrentHashMap<>();

    ExecutionListing(DynamoDbClient reads, DynamoDbClient writes, String table, Clock clock,
            Function<List<Map<String, AttributeValue>>, List<Execution>> documents) {
        this.reads = reads;
        this.writes = writes;
        this.table = table;
        this.clock = clock;
        this.documents = documents;
    }

    /** Executions newest first, all or of one stored status (ExecutionStatus, or WAITING), a page at a time. */
    ExecutionStore.Page list(String status, int limit, String cursor) {
        Map<String, AttributeValue> from = cursor == null || cursor.isBlank() ? null : decodeCursor(cursor);
        if (status == null) {
            return listAll(limit, from);
        }
        // a cursor of another listing, or made up, would be refused by DynamoDB as if the store had failed
        if (from != null && (!from.keySet().equals(Set.of("email", "status", "startedAt"))
                || !status.equals(from.get("status").s()))) {
            throw new IllegalArgumentException(NOT_OURS);
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).scanIndexForward(false).limit(limit)
                .indexName(ExecutionStore.BY_STATUS_INDEX).keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(status))).exclusiveStartKey(from);
        QueryResponse response = reads.query(query.build());
        List<Execution> executions = documents.apply(response.items());
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? encodeCursor(response.lastEvaluatedKey()) : null;
        return new ExecutionStore.Page(executions, next);
    }

    /**
     * Every execution, newest first: today's (one query when they fill the page), then each older day that has
     * any, found through the day markers.
     */
    private ExecutionStore.Page listAll(int limit, Map<String, AttributeValue> from) {
        String day;
        if (from == null) {
            // a minute ahead: an instance whose clock is ahead of this one's may already have started tomorrow
            day = day(ExecutionDocuments.iso(clock.instant().plus(Duration.ofMinutes(1))));
        } else {
            day = from.get("listing") == null ? "" : from.get("listing").s();
            if (!DAY.matcher(day).matches() || !from.keySet().equals(Set.of("email", "listing", "startedAt"))) {
                throw new IllegalArgumentException(NOT_OURS);
            }
        }
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        while (day != null) {
            String partition = day;
            Map<String, AttributeValue> after = from;
            QueryResponse response = reads.query(b -> b.tableName(table).indexName(ExecutionStore.LISTING_INDEX)
                    .scanIndexForward(false).limit(limit - entries.size()).keyConditionExpression("listing = :day")
                    .expressionAttributeValues(Map.of(":day", AttributeValue.fromS(partition)))
                    .exclusiveStartKey(after));
            entries.addAll(response.items());
            if (entries.size() >= limit) {
                Map<String, AttributeValue> last = entries.get(entries.size() - 1);
                String next = encodeCursor(Map.of("email", last.get("email"), "listing", last.get("listing"),
                        "startedAt", last.get("startedAt")));
                return new ExecutionStore.Page(documents.apply(entries), next);
            }
            if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
                from = response.lastEvaluatedKey();
                continue;
            }
            from = null;
            day = olderDay(day);
        }
        return new ExecutionStore.Page(documents.apply(entries), null);
    }

    /** The newest day before this one that has executions, else null: one query of the day markers. */
    private String olderDay(String day) {
        QueryResponse response = reads.query(b -> b.tableName(table).indexName(ExecutionStore.LISTING_INDEX)
                .scanIndexForward(false).limit(1).keyConditionExpression("listing = :days AND startedAt < :day")
                .expressionAttributeValues(Map.of(":days", AttributeValue.fromS(DAYS),
                        ":day", AttributeValue.fromS(day))));
        return response.items().isEmpty() ? null : response.items().get(0).get("startedAt").s();
    }

    /**
     * The listing's key of an execution that started then (an ISO instant): its day, UTC, whose marker is written
     * first if this instance has not yet.
     */
    String key(String startedAt) {
        String day = day(startedAt);
        markDay(day);
        return day;
    }

    private static String day(String startedAt) {
        return startedAt.substring(0, 10);
    }

    /**
     * Writes the day's marker, unless this instance already has: before the first execution listed under it. The
     * sign-ups that come at once at the start of a day wait for one write rather than each make it.
     */
    private void markDay(String day) {
        if (markedDays.get(day) == null) {
            markedDays.computeIfAbsent(day, d -> {
                writes.putItem(b -> b.tableName(table).item(Map.of("email", AttributeValue.fromS(DAY_MARKER + d),
                        "listing", AttributeValue.fromS(DAYS), "startedAt", AttributeValue.fromS(d))));
                return Boolean.TRUE;
            });
        }
    }

    private static String encodeCursor(Map<String, AttributeValue> key) {
        Map<String, String> plain = new LinkedHashMap<>();
        key.forEach((name, value) -> plain.put(name, value.s()));
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(JSON.writeValueAsBytes(plain));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, AttributeValue> decodeCursor(String cursor) {
        try {
            Map<String, String> plain = JSON.readValue(
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8),
                    new TypeReference<Map<String, String>>() {
                    });
            Map<String, AttributeValue> key = new HashMap<>();
            plain.forEach((name, value) -> key.put(name, AttributeValue.fromS(Objects.requireNonNull(value))));
            return key;
        } catch (Exception e) {
            throw new IllegalArgumentException(NOT_OURS);
        }
    }

}
