package community.execution;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import community.signup.SignupRequest;

/** The execution document of DESIGN.md, as JSON: what the API answers and what the executions table keeps. */
public final class ExecutionDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static volatile FormattedSecond lastSecond;

    private record FormattedSecond(long second, String text) {
    }

    private ExecutionDocuments() {
    }

    /** The document as a JSON tree, for answers that put several together (the operator's listing). */
    public static ObjectNode toJson(Execution execution, boolean withHistory) {
        try {
            return (ObjectNode) JSON.readTree(toJsonString(execution, withHistory));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The execution document as JSON text, written straight out (every sign-up does this several times). */
    public static String toJsonString(Execution execution, boolean withHistory) {
        StringWriter text = new StringWriter(withHistory ? 1024 : 512);
        try (JsonGenerator json = JSON.getFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("executionId", execution.executionId());
            json.writeStringField("status", execution.status().name());
            json.writeStringField("startedAt", iso(execution.startedAt()));
            if (execution.stoppedAt() != null) {
                json.writeStringField("stoppedAt", iso(execution.stoppedAt()));
            }
            json.writeObjectFieldStart("input");
            json.writeStringField("email", execution.input().email());
            json.writeStringField("first_name", execution.input().firstName());
            json.writeStringField("last_name", execution.input().lastName());
            json.writeEndObject();
            json.writeObjectFieldStart("results");
            for (Map.Entry<String, StepResult> entry : execution.results().entrySet()) {
                StepResult result = entry.getValue();
                json.writeObjectFieldStart(entry.getKey());
                json.writeStringField("status", result.status().name());
                json.writeNumberField("attempts", result.attempts());
                writeIfSet(json, "startedAt", result.startedAt());
                writeIfSet(json, "stoppedAt", result.stoppedAt());
                writeIfSet(json, "error", result.error());
                writeIfSet(json, "cause", result.cause());
                writeIfSet(json, "detail", result.detail());
                writeIfSet(json, "inviteUrl", result.inviteUrl());
                json.writeEndObject();
            }
            json.writeEndObject();
            if (withHistory) {
                json.writeArrayFieldStart("history");
                for (Attempt a : execution.history()) {
                    json.writeStartObject();
                    json.writeStringField("step", a.step());
                    json.writeNumberField("attempt", a.attempt());
                    json.writeStringField("startedAt", iso(a.startedAt()));
                    writeIfSet(json, "stoppedAt", a.stoppedAt());
                    json.writeStringField("outcome", a.outcome());
                    writeIfSet(json, "error", a.error());
                    writeIfSet(json, "cause", a.cause());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void writeIfSet(JsonGenerator json, String field, Object value) throws IOException {
        if (value instanceof Instant instant) {
            json.writeStringField(field, iso(instant));
        } else if (value != null) {
            json.writeStringField(field, value.toString());
        }
    }

    public static Execution fromJsonString(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored execution document is not JSON", e);
        }
    }

    public static Execution fromJson(JsonNode doc) {
        JsonNode in = doc.path("input");
        SignupRequest input = new SignupRequest(in.path("email").asText(), in.path("first_name").asText(""),
                in.path("last_name").asText(""));
        Map<String, StepResult> results = new LinkedHashMap<>();
        doc.path("results").fields().forEachRemaining(step -> {
            JsonNode r = step.getValue();
            results.put(step.getKey(), new StepResult(StepStatus.valueOf(r.path("status").asText("PENDING")),
                    r.path("attempts").asInt(0), instant(r, "startedAt"), instant(r, "stoppedAt"),
                    text(r, "error"), text(r, "cause"), text(r, "detail"), text(r, "inviteUrl")));
        });
        List<Attempt> history = new ArrayList<>();
        for (JsonNode h : doc.path("history")) {
            history.add(new Attempt(h.path("step").asText(), h.path("attempt").asInt(), instant(h, "startedAt"),
                    instant(h, "stoppedAt"), h.path("outcome").asText(), text(h, "error"), text(h, "cause")));
        }
        return new Execution(doc.path("executionId").asText(), ExecutionStatus.valueOf(doc.path("status").asText()),
                instant(doc, "startedAt"), instant(doc, "stoppedAt"), input, results, history);
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

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        return text == null ? null : Instant.parse(text);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
