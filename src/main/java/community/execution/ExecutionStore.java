package community.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import community.signup.SignupRejected;
import community.signup.SignupRequest;

/**
 * Keeps executions in DynamoDB, one item per e-mail address holding its current execution, so that one conditional
 * write both stores a new execution and decides whether the address already has one. Look-ups by id and listings
 * go through indexes that hold keys, then read the items by key; nothing scans the table. A FAILED execution that
 * a new sign-up replaces is kept under {@code archived:<email>:<n>}. A RUNNING execution is owned by one instance
 * through a lease ({@code leaseOwner}, {@code leaseUntil}) written with conditional writes; once it expires,
 * whichever instance finds the execution first takes it over.
 */
public class ExecutionStore {

    public static final String BY_ID_INDEX = "executionId-index";
    public static final String BY_STATUS_INDEX = "status-index";
    public static final String LISTING_INDEX = "listing-index";
    /** The stored status of a RUNNING execution that waits for an organiser: no lease, no instance runs it. */
    public static final String WAITING = "WAITING";
    /** The listed status of a FAILED execution a later sign-up of its e-mail replaced. */
    static final String REPLACED = "REPLACED";
    private static final String ARCHIVED = "archived:";
    /** The failed executions kept for one address (each a sign-up of it that failed, then a new one). */
    private static final int MAX_ARCHIVED = 100;
    /** Create-only, in the {@code Expected} form: dynalite parses no expression for it (docs/benchmark-history.md). */
    private static final Map<String, ExpectedAttributeValue> ONLY_IF_ABSENT =
            Map.of("email", ExpectedAttributeValue.builder().exists(false).build());

    private final DynamoDbClient dynamoDb;
    private final DynamoDbClient writes;
    private final Executor blocking;
    private final FinishedWrites finishedWrites;
    private final ExecutionListing listing;
    /** Until when this instance's lease on each execution it owns lasts (epoch ms), as last written. */
    private final Map<String, Long> leases = new ConcurrentHashMap<>();
    private final String table;
    private final Clock clock;
    private final String instanceId;
    private final Duration leaseDuration;
    private final Steps steps;

    /** {@code writes} makes the writes every sign-up makes; {@code blocking} sorts out e-mails seen before. */
    public ExecutionStore(DynamoDbClient dynamoDb, DynamoDbClient writes, String table, Clock clock, String instanceId,
            Duration leaseDuration, Executor blocking, Steps steps) {
        this.steps = steps;
        this.blocking = blocking;
        this.dynamoDb = dynamoDb;
        this.writes = writes;
        this.finishedWrites = new FinishedWrites(writes, table);
        this.listing = new ExecutionListing(dynamoDb, writes, table, clock,
                entries -> withDocuments(entries).stream().map(ExecutionStore::execution).toList());
        this.table = table;
        this.clock = clock;
        this.instanceId = instanceId;
        this.leaseDuration = leaseDuration;
    }

    /** The outcome of a sign-up: a new execution to run, or the one this e-mail already has. */
    public record Start(Execution execution, boolean created) {
    }

    /** A page of a listing, newest first; {@code nextCursor} is null on the last page. */
    public record Page(List<Execution> executions, String nextCursor) {
    }

    /**
     * Stores a new execution for this sign-up, or finds the one its e-mail already has (sorted out on
     * {@code blocking}: a read, and for a FAILED one the replacing writes; a 503 when too many wait for it).
     */
    public CompletableFuture<Start> start(SignupRequest request) {
        Execution fresh = Execution.start(request, clock.instant(), steps.names());
        long until = clock.millis() + leaseDuration.toMillis();
        Map<String, AttributeValue> item = ownedItem(fresh, until);
        leases.put(fresh.executionId(), until);
        boolean created;
        try {
            created = conditionHeld(() -> create(item));
        } catch (RuntimeException e) {
            leases.remove(fresh.executionId());
            return CompletableFuture.failedFuture(e);
        }
        if (created) {
            return CompletableFuture.completedFuture(new Start(fresh, true));
        }
        CompletableFuture<Start> started = new CompletableFuture<>();
        startOverElsewhere(fresh, item, started);
        return started;
    }

    /** Hands the e-mail's existing execution to {@code blocking} to sort out, or refuses when it is full. */
    private void startOverElsewhere(Execution fresh, Map<String, AttributeValue> item,
            CompletableFuture<Start> started) {
        try {
            blocking.execute(() -> {
                try {
                    started.complete(startOver(fresh, item));
                } catch (RuntimeException e) {
                    leases.remove(fresh.executionId());
                    started.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException full) {
            leases.remove(fresh.executionId());
            started.completeExceptionally(SignupRejected.busy(
                    "too many sign-ups are being processed; please try again in a minute", 30));
        }
    }

    /** The e-mail has an execution: this one replaces it if it FAILED, else it is the answer. */
    private Start startOver(Execution fresh, Map<String, AttributeValue> item) {
        SignupRequest request = fresh.input();
        // each failed condition means another request changed the item in between
        for (int round = 0; round < 5; round++) {
            Optional<Execution> existing = current(request.email());
            if (existing.isEmpty()) {
                if (conditionHeld(() -> create(item))) {
                    return new Start(fresh, true);
                }
                continue;
            }
            Execution previous = existing.get();
            if (previous.executionId().equals(fresh.executionId())) {
                // the first write went through though its answer was lost, and its retry met it
                return new Start(fresh, true);
            }
            if (previous.status() != ExecutionStatus.FAILED) {
                leases.remove(fresh.executionId());
                return new Start(previous, false);
            }
            archive(previous);
            if (put(item, "executionId = :previous",
                    Map.of(":previous", AttributeValue.fromS(previous.executionId())))) {
                return new Start(fresh, true);
            }
        }
        leases.remove(fresh.executionId());
        throw new IllegalStateException("could not store the execution: the e-mail's record kept changing");
    }

    public Optional<Execution> find(String executionId) {
        return findItem(executionId).map(ExecutionStore::execution);
    }

    /**
     * Whether this is the e-mail's current execution, not one a later sign-up replaced: kept under its own address,
     * not under an archived key (an address may itself begin with {@code archived#}, the prefix before 2026-12-07).
     */
    public boolean isCurrent(String executionId) {
        return findItem(executionId).map(item -> item.get("email").s().equals(execution(item).input().email()))
                .orElse(false);
    }

    private Optional<Map<String, AttributeValue>> findItem(String executionId) {
        // a sign-up replacing a failed execution may move it to its archived key between the two reads
        for (int round = 0; round < 2; round++) {
            QueryResponse response = dynamoDb.query(b -> b.tableName(table).indexName(BY_ID_INDEX)
                    .keyConditionExpression("executionId = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(executionId))));
            Optional<Map<String, AttributeValue>> item = withDocuments(response.items()).stream().findFirst()
                    .filter(found -> found.get("executionId").s().equals(executionId));
            if (item.isPresent() || response.items().isEmpty()) {
                return item;
            }
        }
        return Optional.empty();
    }

    /** The whole items of index entries (which hold keys only), in the same order. */
    private List<Map<String, AttributeValue>> withDocuments(List<Map<String, AttributeValue>> entries) {
        List<Map<String, AttributeValue>> keys = entries.stream()
                .map(entry -> Map.of("email", entry.get("email"))).distinct().toList();
        if (keys.isEmpty()) {
            return entries;
        }
        Map<String, Map<String, AttributeValue>> byEmail = new HashMap<>();
        for (int from = 0; from < keys.size(); from += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + 100))).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> batch = request;
                BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(batch));
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> byEmail.put(item.get("email").s(), item));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (Map<String, AttributeValue> entry : entries) {
            Map<String, AttributeValue> item = byEmail.get(entry.get("email").s());
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }

    /** Stores a finished execution and gives up its lease; false when another instance has taken it over. */
    public CompletableFuture<Boolean> finish(Execution execution) {
        Long until = leases.remove(execution.executionId());
        Map<String, AttributeValue> item = item(execution.input().email(), execution);
        if (until != null && until - clock.millis() > leaseDuration.toMillis() / 3) {
            // ours for a good while yet, and no sign-up replaces a RUNNING execution: no condition, a shared batch
            return finishedWrites.write(item).thenApply(written -> true);
        }
        return now(() -> conditionHeld(() -> writes.putItem(b -> b.tableName(table).item(item)
                .conditionExpression("executionId = :id AND leaseOwner = :me")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(execution.executionId()),
                        ":me", AttributeValue.fromS(instanceId))))));
    }

    /** Extends this instance's lease on a running execution; completes with false if it is no longer ours. */
    public CompletableFuture<Boolean> renew(Execution execution) {
        long until = clock.millis() + leaseDuration.toMillis();
        return now(() -> conditionHeld(() -> leaseUpdate(execution, "SET leaseUntil = :until", until)))
                .whenComplete((held, failure) -> {
                    if (Boolean.TRUE.equals(held)) {
                        leases.computeIfPresent(execution.executionId(), (id, before) -> until);
                    } else {
                        leases.remove(execution.executionId());
                    }
                });
    }

    private static Map<String, AttributeValue> key(Execution execution) {
        return Map.of("email", AttributeValue.fromS(execution.input().email()));
    }

    /** Gives up this instance's lease so that another instance can take the execution over at once. */
    public boolean release(Execution execution) {
        leases.remove(execution.executionId());
        return conditionHeld(() -> leaseUpdate(execution, "SET leaseUntil = :until", 0));
    }

    private void leaseUpdate(Execution execution, String update, long until) {
        writes.updateItem(b -> b.tableName(table).key(key(execution)).updateExpression(update)
                .conditionExpression("executionId = :id AND leaseOwner = :me")
                .expressionAttributeValues(Map.of(":until", AttributeValue.fromN(Long.toString(until)),
                        ":id", AttributeValue.fromS(execution.executionId()),
                        ":me", AttributeValue.fromS(instanceId))));
    }

    /** RUNNING executions whose lease has expired: no instance is running them. */
    public List<Execution> abandoned(int limit) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(BY_STATUS_INDEX)
                .keyConditionExpression("#s = :running").filterExpression("leaseUntil < :now")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":running", AttributeValue.fromS("RUNNING"),
                        ":now", AttributeValue.fromN(Long.toString(clock.millis()))));
        List<Execution> found = new ArrayList<>();
        for (QueryResponse page : dynamoDb.queryPaginator(query.build())) {
            withDocuments(page.items()).stream()
                    .filter(item -> "RUNNING".equals(item.get("status").s()))
                    .map(ExecutionStore::execution).forEach(found::add);
            if (found.size() >= limit) {
                break;
            }
        }
        return found;
    }

    /** Takes over an abandoned execution; false if another instance was quicker, or its owner came back. */
    public boolean takeOver(Execution execution) {
        long now = clock.millis();
        boolean taken = conditionHeld(() -> writes.updateItem(b -> b.tableName(table).key(key(execution))
                .updateExpression("SET leaseOwner = :me, leaseUntil = :until")
                .conditionExpression("executionId = :id AND #s = :running AND leaseUntil < :now")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(instanceId),
                        ":until", AttributeValue.fromN(Long.toString(now + leaseDuration.toMillis())),
                        ":id", AttributeValue.fromS(execution.executionId()),
                        ":running", AttributeValue.fromS("RUNNING"),
                        ":now", AttributeValue.fromN(Long.toString(now))))));
        if (taken) {
            leases.put(execution.executionId(), now + leaseDuration.toMillis());
        }
        return taken;
    }

    /** Stores a FAILED execution as RUNNING again, owned here, if it is still FAILED and current. */
    public boolean redrive(Execution execution) {
        long until = clock.millis() + leaseDuration.toMillis();
        Map<String, AttributeValue> item = ownedItem(execution, until);
        boolean stored = put(item, "executionId = :id AND #s = :failed",
                Map.of(":id", AttributeValue.fromS(execution.executionId()),
                        ":failed", AttributeValue.fromS("FAILED")),
                Map.of("#s", "status"));
        if (stored) {
            leases.put(execution.executionId(), until);
        }
        return stored;
    }

    /**
     * An organiser's answer stored if the execution still waits: approved, it is RUNNING and leased here (the caller
     * runs it); rejected or expired, its outcome.
     */
    public boolean answered(Execution execution) {
        boolean running = execution.status() == ExecutionStatus.RUNNING;
        long until = clock.millis() + leaseDuration.toMillis();
        Map<String, AttributeValue> item = running ? ownedItem(execution, until) : item(execution.input().email(),
                execution);
        boolean stored = put(item, "executionId = :id AND #s = :waiting",
                Map.of(":id", AttributeValue.fromS(execution.executionId()),
                        ":waiting", AttributeValue.fromS(WAITING)),
                Map.of("#s", "status"));
        if (stored && running) {
            leases.put(execution.executionId(), until);
        }
        return stored;
    }

    /**
     * At most {@code limit} executions whose request has waited for an organiser since before {@code before}. A request
     * redriven after it expired waits anew, its time counted from then: the index knows only when the sign-up started,
     * so those that started before are read page by page and each is judged by when its steps began to wait.
     */
    public List<Execution> waitingSince(Instant before, int limit) {
        QueryRequest query = QueryRequest.builder().tableName(table).indexName(BY_STATUS_INDEX).limit(limit)
                .keyConditionExpression("#s = :waiting AND startedAt < :before")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":waiting", AttributeValue.fromS(WAITING),
                        ":before", AttributeValue.fromS(ExecutionDocuments.iso(before))))
                .build();
        List<Execution> found = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            QueryResponse page = dynamoDb.query(query.toBuilder().exclusiveStartKey(from).build());
            withDocuments(page.items()).stream().map(ExecutionStore::execution)
                    .filter(execution -> execution.waitingSince().isBefore(before)).forEach(found::add);
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null && found.size() < limit);
        return found.size() > limit ? found.subList(0, limit) : found;
    }

    /** Executions newest first, all or of one stored status (ExecutionStatus, or {@link #WAITING}), a page each. */
    public Page list(String status, int limit, String cursor) {
        return listing.list(status, limit, cursor);
    }

    /** How many executions of a status started at or after {@code since} (an ISO instant): a count, not a read. */
    public int countSince(String status, String since) {
        int count = 0;
        QueryRequest query = QueryRequest.builder().tableName(table).indexName(BY_STATUS_INDEX)
                .keyConditionExpression("#s = :s AND startedAt >= :since").select("COUNT")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(status),
                        ":since", AttributeValue.fromS(since)))
                .build();
        for (QueryResponse page : dynamoDb.queryPaginator(query)) {
            count += page.count();
        }
        return count;
    }

    /**
     * When something keyed {@code key} (not an address: it has no {@code @}) was first used, set to {@code now} by the
     * first instance to ask and kept after: an ISO instant. Not an execution: it has no index entries.
     */
    public String firstUse(String key) {
        return use(key).firstUsedAt();
    }

    /** What is kept of something keyed {@code key} ({@link #firstUse}): since when, and when the organisers were told. */
    public record Use(String firstUsedAt, String toldAt) {
    }

    /** The organisers were told now (the first time only: a told item keeps its date). */
    public void told(String key) {
        writes.updateItem(b -> b.tableName(table).key(Map.of("email", AttributeValue.fromS(key)))
                .updateExpression("SET toldAt = if_not_exists(toldAt, :now)")
                .expressionAttributeValues(
                        Map.of(":now", AttributeValue.fromS(ExecutionDocuments.iso(clock.instant())))));
    }

    /** {@link #firstUse}, with when the organisers were told of it (null until they are: {@link #told}). */
    public Use use(String key) {
        Map<String, AttributeValue> item = writes.updateItem(b -> b.tableName(table)
                .key(Map.of("email", AttributeValue.fromS(key)))
                .updateExpression("SET firstUsedAt = if_not_exists(firstUsedAt, :now)")
                .expressionAttributeValues(
                        Map.of(":now", AttributeValue.fromS(ExecutionDocuments.iso(clock.instant()))))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        return new Use(item.get("firstUsedAt").s(), item.containsKey("toldAt") ? item.get("toldAt").s() : null);
    }

    /** The execution an e-mail has now (its latest sign-up's), if any: consistent, one read. */
    public Optional<Execution> current(String email) {
        GetItemResponse response = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("email", AttributeValue.fromS(email))));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(execution(response.item())) : Optional.empty();
    }

    private boolean put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        return put(item, condition, values, Map.of());
    }

    private boolean put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values,
            Map<String, String> names) {
        return conditionHeld(() -> writes.putItem(b -> b.tableName(table).item(item).conditionExpression(condition)
                .expressionAttributeValues(values).expressionAttributeNames(names.isEmpty() ? null : names)));
    }

    private void create(Map<String, AttributeValue> item) {
        writes.putItem(b -> b.tableName(table).item(item).expected(ONLY_IF_ABSENT));
    }

    /**
     * A synchronous write as a completed future (the SDK's asynchronous client cost more:
     * docs/benchmark-history.md).
     */
    static <T> CompletableFuture<T> now(Supplier<T> write) {
        try {
            return CompletableFuture.completedFuture(write.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Keeps a FAILED execution a new sign-up replaces under its e-mail's next free archived key
     * ({@code archived:<email>:1}, {@code :2}, …, found by reading them in turn, so that forgetting the person finds
     * them all), unless a simultaneous sign-up kept it already. The person has signed up again: the failed listing,
     * its count and "redrive every failed one" are for the failures that still need an organiser, so it is listed as
     * replaced (its document keeps its FAILED, and the listing of all executions keeps it). Past
     * {@link #MAX_ARCHIVED} an address's further failures are replaced without being kept.
     */
    private void archive(Execution previous) {
        String email = previous.input().email();
        List<Map<String, AttributeValue>> kept = archived(email);
        if (kept.size() >= MAX_ARCHIVED || kept.stream()
                .anyMatch(item -> item.get("executionId").s().equals(previous.executionId()))) {
            return;
        }
        Map<String, AttributeValue> archived = item(archivedKey(email, kept.size() + 1), previous);
        archived.put("status", AttributeValue.fromS(REPLACED));
        if (!conditionHeld(() -> dynamoDb.putItem(b -> b.tableName(table).item(archived).expected(ONLY_IF_ABSENT)))) {
            // another sign-up of this address took the key meanwhile: look again
            archive(previous);
        }
    }

    /** With colons, which no address may hold: no one can sign up with an address that is another's archived key. */
    private static String archivedKey(String email, int n) {
        return ARCHIVED + email + ":" + n;
    }

    /** The e-mail's archived items (their keys and ids), oldest first: {@code :1}, {@code :2}, … to the first gap. */
    private List<Map<String, AttributeValue>> archived(String email) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        while (found.size() < MAX_ARCHIVED) {
            String key = archivedKey(email, found.size() + 1);
            GetItemResponse response = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("email", AttributeValue.fromS(key))).projectionExpression("email, executionId"));
            if (!response.hasItem() || response.item().isEmpty()) {
                break;
            }
            found.add(response.item());
        }
        return found;
    }

    /** What forgetting a person's executions did: how many were deleted, or that one runs (nothing deleted then). */
    public record Forgotten(int executions, boolean running) {
    }

    /**
     * Deletes every execution of this e-mail: its current one and those kept when sign-ups replaced failed ones
     * (newest first, so that a forget cut short leaves the oldest ones findable by the next). Nothing is deleted
     * while its current execution runs: its steps would write it again.
     */
    public Forgotten forget(String email) {
        Map<String, AttributeValue> key = Map.of("email", AttributeValue.fromS(email));
        GetItemResponse current = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(key));
        boolean hasCurrent = current.hasItem() && !current.item().isEmpty();
        if (hasCurrent && current.item().get("status").s().equals(ExecutionStatus.RUNNING.name())) {
            return new Forgotten(0, true);
        }
        List<Map<String, AttributeValue>> archived = archived(email);
        for (int i = archived.size() - 1; i >= 0; i--) {
            Map<String, AttributeValue> archivedKey = Map.of("email", archived.get(i).get("email"));
            dynamoDb.deleteItem(b -> b.tableName(table).key(archivedKey));
        }
        if (!hasCurrent) {
            return new Forgotten(archived.size(), false);
        }
        // a sign-up of the address after a failed one may have replaced it meanwhile: that one runs now
        boolean deleted = conditionHeld(() -> dynamoDb.deleteItem(b -> b.tableName(table).key(key)
                .conditionExpression("executionId = :id AND #s <> :running")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":id", current.item().get("executionId"),
                        ":running", AttributeValue.fromS(ExecutionStatus.RUNNING.name())))));
        return deleted ? new Forgotten(archived.size() + 1, false) : new Forgotten(archived.size(), true);
    }

    /** Makes a conditional write: true when it went through, false when its condition did not hold. */
    static boolean conditionHeld(Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException notHeld) {
            return false;
        }
    }

    /** The status an execution is listed under: its own, or {@link #WAITING} for a running one that waits. */
    public static String listedStatus(Execution execution) {
        return execution.isWaiting() && execution.status() == ExecutionStatus.RUNNING ? WAITING
                : execution.status().name();
    }

    private Map<String, AttributeValue> ownedItem(Execution execution, long leaseUntil) {
        Map<String, AttributeValue> item = item(execution.input().email(), execution);
        item.put("leaseOwner", AttributeValue.fromS(instanceId));
        item.put("leaseUntil", AttributeValue.fromN(Long.toString(leaseUntil)));
        return item;
    }

    private Map<String, AttributeValue> item(String key, Execution execution) {
        String startedAt = ExecutionDocuments.iso(execution.startedAt());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("email", AttributeValue.fromS(key));
        item.put("executionId", AttributeValue.fromS(execution.executionId()));
        item.put("status", AttributeValue.fromS(listedStatus(execution)));
        item.put("startedAt", AttributeValue.fromS(startedAt));
        item.put("listing", AttributeValue.fromS(listing.key(startedAt)));
        item.put("document", AttributeValue.fromS(ExecutionDocuments.toJsonString(execution, true)));
        return item;
    }

    private static Execution execution(Map<String, AttributeValue> item) {
        return ExecutionDocuments.fromJsonString(item.get("document").s());
    }
}
