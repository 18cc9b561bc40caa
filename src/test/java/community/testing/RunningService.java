package community.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import community.SignupApplication;

/**
 * The real application (same main, same routes/ and application.properties), started in this JVM on a free port
 * against the shared dynalite, with its own tables, and any settings a test overrides.
 */
public final class RunningService implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final Main main;
    private final int port;
    private final String membersTable;
    private final String executionsTable;

    private RunningService(Main main, int port, String membersTable, String executionsTable) {
        this.main = main;
        this.port = port;
        this.membersTable = membersTable;
        this.executionsTable = executionsTable;
    }

    /** Copies the service's route files into {@code directory}, for a test that edits them while it runs. */
    public static void copyRoutes(Path directory) {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, directory.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings that keep tests quick: short back-offs, no outbound rate limit, no reloading. */
    public static Map<String, String> quickSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("signup.routes-reload", "false");
        for (String step : List.of("slack", "activecampaign", "dynamodb")) {
            settings.put(step + ".retry-delay", "20");
            settings.put(step + ".retry-max-delay", "100");
            settings.put(step + ".timeout", "2000");
        }
        settings.put("activecampaign.rate-limit", "0");
        settings.put("slack.notify-rate-limit", "0");
        settings.put("signup.rate-limit", "0");
        settings.put("signup.wait-timeout", "20s");
        return settings;
    }

    public static RunningService start(Map<String, String> settings) {
        int port = AvailablePortFinder.getNextAvailable();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String members = settings.getOrDefault("dynamodb.table", "members-" + suffix);
        String executions = settings.getOrDefault("dynamodb.executions-table", "executions-" + suffix);
        Main main = SignupApplication.create();
        main.addOverrideProperty("signup.port", String.valueOf(port));
        main.addOverrideProperty("dynamodb.endpoint", Dynalite.endpoint());
        main.addOverrideProperty("dynamodb.table", members);
        main.addOverrideProperty("dynamodb.executions-table", executions);
        settings.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("the service did not start", e);
        }
        return new RunningService(main, port, members, executions);
    }


    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public Answer postJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sign-ups of {@code count} people, {@code prefix0@example.org} on, as JSON bodies. */
    public static List<String> signups(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "{\"email\":\"" + prefix + i + "@example.org\",\"name\":\"Cro Wd\"}").toList();
    }

    /** Posts each body on a client thread of its own, all at once, and returns the answers in the bodies' order. */
    public List<Answer> postAllAtOnce(String path, List<String> jsonBodies) {
        ExecutorService clients = Executors.newFixedThreadPool(jsonBodies.size());
        try {
            List<CompletableFuture<Answer>> sent = jsonBodies.stream()
                    .map(body -> CompletableFuture.supplyAsync(() -> postJson(path, body), clients)).toList();
            return sent.stream().map(CompletableFuture::join).toList();
        } finally {
            clients.shutdown();
        }
    }

    public Answer postForm(String path, String form, String accept) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> e.getValue().get(0))),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The member record in the members table, as a user would look it up. */
    public Map<String, AttributeValue> member(String email) {
        return Dynalite.client().getItem(b -> b.tableName(membersTable).consistentRead(true)
                .key(Map.of("email", AttributeValue.fromS(email)))).item();
    }

    public int memberCount() {
        return Dynalite.client().scan(b -> b.tableName(membersTable)).count();
    }

    /** How many executions the executions table holds (not the listing's day markers). */
    public int executionItemCount() {
        return Dynalite.client().scan(b -> b.tableName(executionsTable)
                .filterExpression("attribute_exists(executionId)")).count();
    }

    /** The settings that make another service use this one's tables (another instance, or this one restarted). */
    public Map<String, String> sameTables() {
        return Map.of("dynamodb.table", membersTable, "dynamodb.executions-table", executionsTable);
    }

    /**
     * The service's DynamoDB requests so far by operation, as its metrics report them
     * ({@code signup_dynamodb_requests_total}).
     */
    public Map<String, Long> dynamoDbRequests() {
        Map<String, Long> counts = new TreeMap<>();
        Matcher series = Pattern.compile("(?m)^signup_dynamodb_requests_total\\{operation=\"(\\w+)\"} ([0-9.E]+)$")
                .matcher(get("/observe/metrics").body());
        while (series.find()) {
            counts.put(series.group(1), (long) Double.parseDouble(series.group(2)));
        }
        return counts;
    }

    /** A running route's description, to see which version of its file is in effect. */
    public String routeDescription(String routeId) {
        org.apache.camel.Route route = main.getCamelContext().getRoute(routeId);
        return route == null ? null : route.getDescription();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer: status, headers (names lower-cased) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }
}
