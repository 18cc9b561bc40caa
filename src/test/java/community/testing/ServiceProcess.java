package community.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
        return start(name, environment, Path.of("."));
    }

    /**
     * Starts the jar in {@code folder}, which holds routes/ and application.properties (and may hold a signup.env),
     * as an operator's folder beside the jar does.
     */
    public static ServiceProcess start(String name, Map<String, String> environment, Path folder) {
        // Vert.x's file cache where the build puts the tests' own (pom.xml), not in the temp folder
        String cache = System.getProperty("vertx.cacheDirBase", Path.of("target", "vertx-cache").toAbsolutePath()
                .toString());
        return start(name, environment, folder,
                List.of(javaBinary(), "-Xmx256m", "-Dvertx.cacheDirBase=" + cache, "-jar", jar().toString()), 60);
    }

    /** Starts the service the way the README tells users to: {@code bin/community-signup}, from {@code folder}. */
    public static ServiceProcess startWithLauncher(String name, Map<String, String> environment, Path folder,
            int readyWithinSeconds) {
        // the launcher runs the java on the PATH: make it the one running these tests
        return startWithLauncher(name, environment, folder, readyWithinSeconds, Path.of(javaBinary()).getParent());
    }

    /** The launcher with the {@code java} of this folder first on the PATH. */
    public static ServiceProcess startWithLauncher(String name, Map<String, String> environment, Path folder,
            int readyWithinSeconds, Path javaBin) {
        return startLauncher(name, environment, folder, readyWithinSeconds, javaBin,
                Path.of("bin", "community-signup").toAbsolutePath().toString());
    }

    /** The launcher through {@code link}, a symbolic link to it, with the {@code java} running these tests. */
    public static ServiceProcess startThroughLink(String name, Map<String, String> environment, Path folder,
            int readyWithinSeconds, Path link) {
        return startLauncher(name, environment, folder, readyWithinSeconds, Path.of(javaBinary()).getParent(),
                link.toString());
    }

    /**
     * The launcher as the leader of a process group of its own, the group that holds it and the store it starts, as
     * systemd starts a unit's main process in a control group.
     */
    public static ServiceProcess startWithLauncherInItsOwnGroup(String name, Map<String, String> environment,
            Path folder, int readyWithinSeconds) {
        // setsid execs the launcher, which execs java: the pid stays the JVM's, and is the group's id
        return startLauncher(name, environment, folder, readyWithinSeconds, Path.of(javaBinary()).getParent(),
                "setsid", Path.of("bin", "community-signup").toAbsolutePath().toString());
    }

    /** {@code command}, which runs the launcher, with the {@code java} of {@code javaBin} first on the PATH. */
    private static ServiceProcess startLauncher(String name, Map<String, String> environment, Path folder,
            int readyWithinSeconds, Path javaBin, String... command) {
        jar();
        Map<String, String> withJava = new HashMap<>(environment);
        withJava.put("PATH", javaBin + java.io.File.pathSeparator + System.getenv("PATH"));
        return start(name, withJava, folder, List.of(command), readyWithinSeconds);
    }

    private static Path jar() {
        Path jar = Path.of("target", "community-signup.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("run 'mvn verify': these tests start the packaged jar");
        }
        return jar;
    }

    private static ServiceProcess start(String name, Map<String, String> environment, Path folder,
            List<String> command, int readyWithinSeconds) {
        int port = AvailablePortFinder.getNextAvailable();
        try {
            Path log = Files.createDirectories(Path.of("target", "service-logs")).resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.environment().put("SIGNUP_PORT", String.valueOf(port));
            ServiceProcess service = new ServiceProcess(builder.start(), port, log);
            service.awaitReady(readyWithinSeconds);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A folder like the one an operator runs the jar from: this project's routes/ and application.properties. */
    public static Path operatorFolder(String name) {
        try {
            Path folder = Files.createDirectories(Path.of("target", "folders", name)).toAbsolutePath();
            Files.copy(Path.of("application.properties"), folder.resolve("application.properties"),
                    StandardCopyOption.REPLACE_EXISTING);
            Path routes = Files.createDirectories(folder.resolve("routes"));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
                for (Path file : files) {
                    Files.copy(file, routes.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }


    private void awaitReady(int seconds) {
        Duration within = Duration.ofSeconds(seconds);
        await().atMost(within).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited at start-up; see " + log);
            }
            // the routes' own answer, not the HTTP server's, which listens a moment before the routes have started
            String body = HTTP.send(HttpRequest.newBuilder(uri("/signup/00000000-0000-4000-8000-000000000000"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.contains("no execution has this id");
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

    /** Any request; the answer as {@code {"status", "body"}}. */
    public JsonNode request(HttpRequest.Builder request) {
        return JSON.valueToTree(send(request));
    }

    private Map<String, Object> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            return Map.of("status", response.statusCode(),
                    "body", json ? JSON.readTree(response.body()) : response.body());
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

    /** SIGTERM to every process of the service's group at once, as systemd's default KillMode stops a unit. */
    public void sendTermToGroup() {
        try {
            Process kill = new ProcessBuilder("kill", "-TERM", "--", "-" + process.pid()).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("could not signal the process group " + process.pid());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    /** The JVM's process id: the launcher execs java. */
    public long pid() {
        return process.pid();
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
