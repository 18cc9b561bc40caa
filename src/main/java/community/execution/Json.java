package community.execution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON for the service's own code, and the factory of the mapper that camel-jackson and jsonpath take from the
 * registry. Parsers and generators take their buffers from one shared pool: Jackson's default keeps a set per
 * thread, and each of the service's threads (HTTP workers, step calls) kept its own for good, a tenth of the live
 * heap (docs/benchmark-history.md).
 */
public final class Json {

    public static final ObjectMapper PLAIN = new ObjectMapper(factory());

    private Json() {
    }

    /** A factory whose parsers and generators take their buffers from the shared pool. */
    public static JsonFactory factory() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
    }

    public static String write(JsonNode node) {
        try {
            return PLAIN.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
