package community.execution;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Group commit of finished executions: the outcomes that are ready while BatchWriteItems are on their way (on the
 * threads of the outcomes that sent them) go together in the next one (up to 25), so under load many executions share one round trip, and alone an outcome
 * is written at once, with no wait for company. Items DynamoDB leaves unprocessed go in a later batch. Only
 * outcomes whose lease is certainly still this instance's come here: a batch write has no condition. (The SDK's
 * BatchWriteItem: camel-aws2-ddb has none.)
 */
final class FinishedWrites {

    private static final int MAX_BATCH = 25;
    /** Batches on their way at once: a slow one does not hold up every outcome behind it. */
    private static final int MAX_IN_FLIGHT = 2;

    private record Pending(Map<String, AttributeValue> item, CompletableFuture<Void> written) {
        String key() {
            return item.get("email").s();
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writing = new AtomicInteger();

    FinishedWrites(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    CompletableFuture<Void> write(Map<String, AttributeValue> item) {
        Pending pending = new Pending(item, new CompletableFuture<>());
        queue.add(pending);
        next();
        return pending.written();
    }

    private void next() {
        int busy;
        do {
            busy = writing.get();
            if (busy >= MAX_IN_FLIGHT) {
                return;
            }
        } while (!writing.compareAndSet(busy, busy + 1));
        List<Pending> batch = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        List<Pending> later = new ArrayList<>();
        Pending pending;
        while (batch.size() < MAX_BATCH && (pending = queue.poll()) != null) {
            // one item per key in a batch (DynamoDB refuses duplicates): a second one waits for the next
            (keys.add(pending.key()) ? batch : later).add(pending);
        }
        queue.addAll(later);
        if (batch.isEmpty()) {
            writing.decrementAndGet();
            if (!queue.isEmpty()) {
                next();
            }
            return;
        }
        List<WriteRequest> puts = batch.stream()
                .map(p -> WriteRequest.builder().putRequest(PutRequest.builder().item(p.item()).build()).build())
                .toList();
        ExecutionStore.now(() -> dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(table, puts))))
                .whenComplete((answer, failure) -> {
            if (failure != null) {
                batch.forEach(p -> p.written().completeExceptionally(failure));
            } else {
                Set<String> unprocessed = unprocessed(answer);
                for (Pending p : batch) {
                    if (unprocessed.contains(p.key())) {
                        queue.add(p);
                    } else {
                        p.written().complete(null);
                    }
                }
            }
            writing.decrementAndGet();
            if (!queue.isEmpty()) {
                next();
            }
        });
    }

    private Set<String> unprocessed(BatchWriteItemResponse answer) {
        Set<String> keys = new HashSet<>();
        for (WriteRequest request : answer.unprocessedItems().getOrDefault(table, List.of())) {
            keys.add(request.putRequest().item().get("email").s());
        }
        return keys;
    }
}
