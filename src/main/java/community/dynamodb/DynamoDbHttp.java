package community.dynamodb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The few DynamoDB writes on every sign-up's path (conditional PutItem and UpdateItem on the executions table),
 * sent without blocking a thread and at a fraction of the AWS SDK's cost per request: the JSON protocol written
 * straight from the attribute values, Signature Version 4 with the signing key kept for the day, keep-alive
 * connections on the service's Vert.x. Failures come back as the SDK's own exceptions
 * ({@link ConditionalCheckFailedException}, {@link DynamoDbException}, {@link SdkClientException}) so that callers
 * treat them alike; throttling, 5xx answers and connection errors are tried again a few times, as the SDK does.
 */
public final class DynamoDbHttp implements AutoCloseable {

    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    // Looking up and keying a digest or a Mac costs more than hashing a small request: each thread keeps its own.
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final ThreadLocal<KeyedMac> SIGNERS = new ThreadLocal<>();

    private final Vertx vertx;
    private final Context context;
    private final HttpClient http;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String hostHeader;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;
    private final long timeoutMillis;
    private final int retries;
    private final DynamoDbRequests requests;
    private volatile SigningKey signingKey;
    private volatile AmzDate lastDate;

    private record AmzDate(long second, String text) {
    }

    private record KeyedMac(byte[] key, Mac mac) {
    }

    private record SigningKey(String date, String accessKeyId, String secret, byte[] key) {
    }

    /**
     * @param timeoutMillis how long one attempt may take
     * @param retries attempts after the first for throttling, 5xx answers and connection errors
     */
    public DynamoDbHttp(Vertx vertx, URI endpoint, String region, AwsCredentialsProvider credentials, Clock clock,
            long timeoutMillis, int retries, int maxConnections, DynamoDbRequests requests) {
        this.retries = retries;
        this.vertx = vertx;
        this.ssl = "https".equalsIgnoreCase(endpoint.getScheme());
        this.host = endpoint.getHost();
        int defaultPort = ssl ? 443 : 80;
        this.port = endpoint.getPort() < 0 ? defaultPort : endpoint.getPort();
        this.hostHeader = port == defaultPort ? host : host + ":" + port;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
        this.timeoutMillis = timeoutMillis;
        this.requests = requests;
        // The requests go out from a context of this Vert.x: made from a thread of another Vert.x (the HTTP
        // server's workers), their answers would be queued behind the very task that waits for them.
        this.context = ((VertxInternal) vertx).createEventLoopContext();
        this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(ssl).setKeepAlive(true)
                .setMaxPoolSize(maxConnections).setConnectTimeout(2000).setTcpNoDelay(true));
    }

    /**
     * A PutItem, with a condition unless it is null; completes with DynamoDB's answer, or exceptionally (with a
     * {@link ConditionalCheckFailedException} when the condition does not hold).
     */
    public CompletableFuture<JsonNode> putItem(String table, Map<String, AttributeValue> item, String condition,
            Map<String, String> names, Map<String, AttributeValue> values) {
        return send("PutItem", json -> {
            json.writeStringField("TableName", table);
            json.writeFieldName("Item");
            writeAttributes(json, item);
            writeExpressions(json, condition, names, values);
        });
    }

    /**
     * A PutItem that only creates: it fails with a {@link ConditionalCheckFailedException} when an item with the
     * same key exists. Written as the legacy {@code Expected} parameter, which means the same to DynamoDB as
     * {@code attribute_not_exists(key)}: dynalite, the embedded store, parses every condition expression anew
     * with a PEG parser, which was a sixth of its CPU under load; {@code Expected} needs no parsing.
     */
    public CompletableFuture<JsonNode> putItemIfAbsent(String table, Map<String, AttributeValue> item, String key) {
        return send("PutItem", json -> {
            json.writeStringField("TableName", table);
            json.writeFieldName("Item");
            writeAttributes(json, item);
            json.writeObjectFieldStart("Expected");
            json.writeObjectFieldStart(key);
            json.writeBooleanField("Exists", false);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** An UpdateItem, with a condition unless it is null; {@code returnValues} as DynamoDB's ReturnValues. */
    public CompletableFuture<JsonNode> updateItem(String table, Map<String, AttributeValue> key, String update,
            String condition, Map<String, String> names, Map<String, AttributeValue> values, String returnValues) {
        return send("UpdateItem", json -> {
            json.writeStringField("TableName", table);
            json.writeFieldName("Key");
            writeAttributes(json, key);
            json.writeStringField("UpdateExpression", update);
            if (returnValues != null) {
                json.writeStringField("ReturnValues", returnValues);
            }
            writeExpressions(json, condition, names, values);
        });
    }

    /**
     * A BatchWriteItem of puts into one table (at most 25 items, unique keys): completes with DynamoDB's answer,
     * whose {@code UnprocessedItems} lists what DynamoDB left for another try.
     */
    public CompletableFuture<JsonNode> batchPut(String table, List<Map<String, AttributeValue>> items) {
        return send("BatchWriteItem", json -> {
            json.writeObjectFieldStart("RequestItems");
            json.writeArrayFieldStart(table);
            for (Map<String, AttributeValue> item : items) {
                json.writeStartObject();
                json.writeObjectFieldStart("PutRequest");
                json.writeFieldName("Item");
                writeAttributes(json, item);
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private CompletableFuture<JsonNode> send(String operation, Body body) {
        byte[] payload;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            try (JsonGenerator json = JSON_FACTORY.createGenerator(out)) {
                json.writeStartObject();
                body.write(json);
                json.writeEndObject();
            }
            payload = out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        context.runOnContext(v -> attempt(operation, payload, 0, done));
        return done;
    }

    private void attempt(String operation, byte[] payload, int retry, CompletableFuture<JsonNode> done) {
        RequestOptions options;
        try {
            options = signed(operation, payload);
        } catch (RuntimeException e) {
            done.completeExceptionally(SdkClientException.create("could not sign the DynamoDB request", e));
            return;
        }
        requests.sent(operation);
        http.request(options)
                .compose(request -> request.send(Buffer.buffer(payload)))
                .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), answer)))
                .onComplete(result -> {
                    SdkException failure;
                    if (result.failed()) {
                        failure = result.cause() instanceof TimeoutException
                                ? ApiCallAttemptTimeoutException.create(timeoutMillis)
                                : SdkClientException.create("DynamoDB did not answer " + operation + ": "
                                        + result.cause().getMessage(), result.cause());
                    } else if (result.result().status() == 200) {
                        try {
                            done.complete(JSON.readTree(result.result().body().getBytes()));
                        } catch (IOException e) {
                            done.completeExceptionally(SdkClientException.create("DynamoDB's answer is not JSON", e));
                        }
                        return;
                    } else {
                        failure = failure(operation, result.result().status(), result.result().body());
                    }
                    boolean worthRetrying = failure instanceof Failure answered ? answered.retryable
                            : failure instanceof SdkClientException;
                    if (retry < retries && worthRetrying) {
                        long delay = (25L << retry) + ThreadLocalRandom.current().nextLong(25L << retry);
                        vertx.setTimer(delay, t -> attempt(operation, payload, retry + 1, done));
                    } else {
                        done.completeExceptionally(failure);
                    }
                });
    }

    private record Answer(int status, Buffer body) {
    }

    /** A failed request's answer, as the SDK would have thrown it. */
    private static SdkException failure(String operation, int status, Buffer answer) {
        String type = "";
        String message = "";
        try {
            JsonNode error = JSON.readTree(answer.getBytes());
            type = error.path("__type").asText("");
            type = type.substring(type.indexOf('#') + 1);
            message = error.has("message") ? error.path("message").asText() : error.path("Message").asText();
        } catch (IOException unreadable) {
            message = answer.toString(StandardCharsets.UTF_8);
        }
        AwsErrorDetails details = AwsErrorDetails.builder().errorCode(type).errorMessage(message)
                .serviceName("DynamoDb").build();
        if ("ConditionalCheckFailedException".equals(type)) {
            return ConditionalCheckFailedException.builder().message(message).statusCode(status)
                    .awsErrorDetails(details).build();
        }
        boolean throttled = throttled(type);
        return new Failure(DynamoDbException.builder().message(operation + ": " + type + ": " + message)
                .statusCode(status).awsErrorDetails(details), throttled || status >= 500);
    }

    /** Whether a DynamoDB error code says "too many requests": worth another attempt after a while. */
    public static boolean throttled(String errorCode) {
        return errorCode.contains("ProvisionedThroughputExceeded") || errorCode.contains("RequestLimitExceeded")
                || errorCode.contains("Throttling");
    }

    /** A DynamoDB error answer that says whether it is worth another attempt. */
    private static final class Failure extends DynamoDbException {
        private final boolean retryable;

        Failure(DynamoDbException.Builder builder, boolean retryable) {
            super(builder);
            this.retryable = retryable;
        }
    }

    RequestOptions signed(String operation, byte[] payload) {
        AwsCredentials identity = credentials.resolveCredentials();
        String token = identity instanceof AwsSessionCredentials session ? session.sessionToken() : null;
        String amzDate = amzDate(clock.instant());
        String date = amzDate.substring(0, 8);
        String target = TARGET_PREFIX + operation;
        String payloadHash = HEX.formatHex(sha256(payload));
        String signedHeaders = token == null ? "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target"
                : "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target";
        String canonical = "POST\n/\n\ncontent-type:" + CONTENT_TYPE + "\nhost:" + hostHeader
                + "\nx-amz-content-sha256:" + payloadHash + "\nx-amz-date:" + amzDate + "\n"
                + (token == null ? "" : "x-amz-security-token:" + token + "\n")
                + "x-amz-target:" + target + "\n\n" + signedHeaders + "\n" + payloadHash;
        String scope = date + "/" + region + "/dynamodb/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        String signature = HEX.formatHex(signature(key(date, identity), toSign));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setSsl(ssl).setURI("/").setTimeout(timeoutMillis)
                .putHeader("Content-Type", CONTENT_TYPE).putHeader("Host", hostHeader)
                .putHeader("X-Amz-Content-Sha256", payloadHash).putHeader("X-Amz-Date", amzDate)
                .putHeader("X-Amz-Target", target)
                .putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=" + identity.accessKeyId() + "/" + scope
                        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        if (token != null) {
            options.putHeader("X-Amz-Security-Token", token);
        }
        return options;
    }

    /** The day's signing key, derived once per day and credentials (four HMACs saved on every request). */
    private byte[] key(String date, AwsCredentials identity) {
        SigningKey current = signingKey;
        if (current != null && current.date().equals(date) && current.accessKeyId().equals(identity.accessKeyId())
                && current.secret().equals(identity.secretAccessKey())) {
            return current.key();
        }
        byte[] key = hmac(("AWS4" + identity.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "dynamodb");
        key = hmac(key, "aws4_request");
        signingKey = new SigningKey(date, identity.accessKeyId(), identity.secretAccessKey(), key);
        return key;
    }

    private static void writeExpressions(JsonGenerator json, String condition, Map<String, String> names,
            Map<String, AttributeValue> values) throws IOException {
        if (condition != null) {
            json.writeStringField("ConditionExpression", condition);
        }
        if (names != null && !names.isEmpty()) {
            json.writeObjectFieldStart("ExpressionAttributeNames");
            for (Map.Entry<String, String> name : names.entrySet()) {
                json.writeStringField(name.getKey(), name.getValue());
            }
            json.writeEndObject();
        }
        if (values != null && !values.isEmpty()) {
            json.writeFieldName("ExpressionAttributeValues");
            writeAttributes(json, values);
        }
    }

    static void writeAttributes(JsonGenerator json, Map<String, AttributeValue> attributes) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, AttributeValue> attribute : attributes.entrySet()) {
            json.writeFieldName(attribute.getKey());
            writeValue(json, attribute.getValue());
        }
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, AttributeValue value) throws IOException {
        json.writeStartObject();
        switch (value.type()) {
            case S -> json.writeStringField("S", value.s());
            case N -> json.writeStringField("N", value.n());
            case BOOL -> json.writeBooleanField("BOOL", value.bool());
            case NUL -> json.writeBooleanField("NULL", true);
            case M -> {
                json.writeFieldName("M");
                writeAttributes(json, value.m());
            }
            case L -> {
                json.writeArrayFieldStart("L");
                for (AttributeValue element : value.l()) {
                    writeValue(json, element);
                }
                json.writeEndArray();
            }
            case SS -> writeStrings(json, "SS", value.ss());
            case NS -> writeStrings(json, "NS", value.ns());
            default -> throw new IllegalArgumentException("attribute type " + value.type() + " is not written here");
        }
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String type, List<String> strings) throws IOException {
        json.writeArrayFieldStart(type);
        for (String s : strings) {
            json.writeString(s);
        }
        json.writeEndArray();
    }

    /** X-Amz-Date, formatted once per second: requests within the same second share it. */
    private String amzDate(Instant now) {
        AmzDate last = lastDate;
        if (last == null || last.second() != now.getEpochSecond()) {
            last = new AmzDate(now.getEpochSecond(), AMZ_DATE.format(now));
            lastDate = last;
        }
        return last.text();
    }

    private static byte[] sha256(byte[] data) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest.digest(data);
    }

    /** The request's HMAC with the day's key; the keyed Mac is kept per thread while the key stays the same. */
    private static byte[] signature(byte[] key, String toSign) {
        KeyedMac keyed = SIGNERS.get();
        if (keyed == null || keyed.key() != key) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                keyed = new KeyedMac(key, mac);
                SIGNERS.set(keyed);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return keyed.mac().doFinal(toSign.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Completes with whether a conditional write's condition held; any other failure stays a failure. */
    public static CompletableFuture<Boolean> conditionHeld(CompletableFuture<?> write) {
        return write.handle((answer, failure) -> {
            Throwable cause = unwrapped(failure);
            if (cause == null) {
                return true;
            }
            if (cause instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw cause instanceof RuntimeException e ? e : new CompletionException(cause);
        });
    }

    /** The failure a dependent stage reports: the write's own, not the {@link CompletionException} around it. */
    public static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Waits for an asynchronous write, for callers on a thread that may wait; failures are thrown as they are. */
    public static <T> T await(CompletableFuture<T> write) {
        try {
            return write.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
