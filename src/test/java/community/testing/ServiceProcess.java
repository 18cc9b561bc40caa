package community.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.AvailablePortFinder;


/**
 * The packaged jar, started as its own process the way an operator starts it (from the folder holding routes/
 * and application.properties, configured by environment variables), so that it can be killed for real.
 */
public final class ServiceProcess {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static ServiceProcess start(String name, Map<String, String> environment) {
        Path jar = Path.of("target", "community-signup.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("run 'mvn verify': these tests start the packaged jar");
        }
        int port = AvailablePortFinder.getNextAvailable();
        try {
            Path log = Files.createDirectories(Path.of("target", "service-logs")).resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.environment().put("SIGNUP_PORT", String.valueOf(port));
            ServiceProcess service = new ServiceProcess(builder.start(), port, log);
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }


    private void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited at start-up; see " + log);
            }
            HTTP.send(HttpRequest.newBuilder(uri("/signup/00000000-0000-4000-8000-000000000000")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        });
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public JsonNode post(String path, String json) {
        return JSON.valueToTree(send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))));
    }

    public JsonNode get(String path) {
        return JSON.valueToTree(send(HttpRequest.newBuilder(uri(path)).GET()));
    }

    private Map<String, Object> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Map.of("status", response.statusCode(), "body", JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful anything. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: what an orchestrator sends before it replaces an instance. Returns at once. */
    public void sendTerm() {
        process.destroy();
    }

    public void awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the service did not exit within 60 s; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
