package community.execution;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;

import community.signup.SignupRequest;

/**
 * The execution document of DESIGN.md, as JSON: what the API answers and what the executions table keeps. Jackson
 * writes and reads it from {@link Document} and the records it holds ({@link StepResult}, {@link Attempt},
 * {@link SignupRequest}), in their components' order, leaving out what is not set; instants are written with
 * their milliseconds, as in DESIGN.md's example.
 */
public final class ExecutionDocuments {

    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper(Json.factory())
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule().addSerializer(Instant.class, new JsonSerializer<>() {
                @Override
                public void serialize(Instant instant, JsonGenerator json, SerializerProvider provider)
                        throws IOException {
                    json.writeString(iso(instant));
                }
            }).addDeserializer(Instant.class, new JsonDeserializer<>() {
                @Override
                public Instant deserialize(JsonParser json, DeserializationContext context) throws IOException {
                    return Instant.parse(json.getValueAsString());
                }
            }));
    private static volatile FormattedSecond lastSecond;

    private record FormattedSecond(long second, String text) {
    }

    /** The document as it is written: the history only where asked for. */
    record Document(String executionId, ExecutionStatus status, Instant startedAt, Instant stoppedAt,
            SignupRequest input, Map<String, StepResult> results, List<Attempt> history) {
    }

    private ExecutionDocuments() {
    }

    private static Document document(Execution execution, boolean withHistory) {
        return new Document(execution.executionId(), execution.status(), execution.startedAt(),
                execution.stoppedAt(), execution.input(), execution.results(),
                withHistory ? execution.history() : null);
    }

    /** The document as a JSON tree, for answers that put several together (the operator's listing). */
    public static ObjectNode toJson(Execution execution, boolean withHistory) {
        return JSON.valueToTree(document(execution, withHistory));
    }

    public static String toJsonString(Execution execution, boolean withHistory) {
        try {
            return JSON.writeValueAsString(document(execution, withHistory));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Execution fromJsonString(String json) {
        Document doc;
        try {
            doc = JSON.readValue(json, Document.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored execution document is not JSON", e);
        }
        SignupRequest in = doc.input();
        return new Execution(doc.executionId(), doc.status(), doc.startedAt(), doc.stoppedAt(),
                new SignupRequest(in.email(), in.firstName() == null ? "" : in.firstName(),
                        in.lastName() == null ? "" : in.lastName()),
                doc.results() == null ? Map.of() : doc.results(), doc.history() == null ? List.of() : doc.history());
    }

    /** Millisecond precision, always with the fraction, as in DESIGN.md's example. */
    public static String iso(Instant instant) {
        // A sign-up formats a dozen timestamps, nearly all within the same second: the date and time are formatted
        // once per second, the milliseconds appended.
        FormattedSecond second = lastSecond;
        if (second == null || second.second() != instant.getEpochSecond()) {
            second = new FormattedSecond(instant.getEpochSecond(), ISO_SECONDS.format(instant));
            lastSecond = second;
        }
        int millis = instant.getNano() / 1_000_000;
        return new StringBuilder(24).append(second.text()).append('.')
                .append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10)).append('Z').toString();
    }
}
