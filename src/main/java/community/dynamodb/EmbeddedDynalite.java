package community.dynamodb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynalite process (a DynamoDB-compatible store on Node.js) started and stopped with the service. It runs
 * {@code embedded-dynamodb/server.js}, which exits when our end of its stdin closes, so it cannot outlive us.
 */
public final class EmbeddedDynalite implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDynalite.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Pattern LISTENING = Pattern.compile("dynalite listening on port (\\d+)");
    /** What a process ended by SIGTERM exits with, as Java reports it (128 + 15). */
    private static final int SIGTERM_EXIT = 143;

    /** Counted down as the JVM begins to stop: a store that ends then was, most likely, stopped along with it. */
    private static final CountDownLatch JVM_STOPPING = new CountDownLatch(1);
    /** How long a store ended by a SIGTERM waits to see whether the service's own stop came with it. */
    private static final long SIGNAL_SHARED_WITHIN_MS = 500;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(JVM_STOPPING::countDown, "dynalite-jvm-stopping"));
    }

    private final List<String> command;
    private final String accessKey;
    private final int port;
    private volatile Process process;
    private volatile boolean closed;

    private EmbeddedDynalite(List<String> command, String accessKey, Process process, int port) {
        this.command = command;
        this.accessKey = accessKey;
        this.process = process;
        this.port = port;
        process.onExit().thenRun(this::startAgainUnlessClosed);
    }

    /**
     * Starts dynalite from {@code home} (the folder holding server.js and node_modules) on the given port (0 for a
     * free one), keeping its data under {@code dataDir}, or in memory when that is null; open to any client.
     */
    public static EmbeddedDynalite start(Path home, int port, Path dataDir) {
        return start(home, port, dataDir, null);
    }

    /**
     * As above, answering only requests signed with {@link #accessKey()}, a random key made for this store: it
     * listens on loopback, where every user of the machine can connect, and the members' data, kept in a folder
     * only the service's user can read, would otherwise be theirs to read through the port. The key goes to the
     * store in its environment, which other users cannot read (its command line they can).
     */
    public static EmbeddedDynalite startPrivate(Path home, int port, Path dataDir) {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return start(home, port, dataDir, HexFormat.of().formatHex(key));
    }

    private static EmbeddedDynalite start(Path home, int port, Path dataDir, String accessKey) {
        Path script = home.resolve("server.js");
        if (!Files.isRegularFile(script) || !Files.isDirectory(home.resolve("node_modules/dynalite"))) {
            throw new StoreNotStarted("the embedded DynamoDB store is not installed in " + home.toAbsolutePath()
                    + ": run 'mvn package' (it runs npm ci there), or set DYNAMODB_ENDPOINT or AWS_REGION", null);
        }
        List<String> command = new ArrayList<>(List.of("node", script.toString(), String.valueOf(port)));
        try {
            if (dataDir != null) {
                try {
                    createPrivately(dataDir);
                } catch (IOException e) {
                    // Java's words named its exception class first
                    throw new StoreNotStarted("the embedded DynamoDB store cannot keep its data in "
                            + dataDir.toAbsolutePath() + " (SIGNUP_DATA_DIR): " + why(e), e);
                }
                command.add(dataDir.toString());
            }
            Process process;
            try {
                process = processBuilder(command, accessKey).start();
            } catch (IOException noNode) {
                throw new StoreNotStarted("the embedded DynamoDB store runs on Node.js, which is not on the PATH ("
                        + noNode.getMessage() + "): install it, or set DYNAMODB_ENDPOINT or AWS_REGION", noNode);
            }
            int actualPort = listening(process);
            // a store started again after a crash comes back where the service's clients look for it
            command.set(2, String.valueOf(actualPort));
            return new EmbeddedDynalite(command, accessKey, process, actualPort);
        } catch (ExecutionException e) {
            throw new StoreNotStarted("could not start the embedded DynamoDB store: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new StoreNotStarted("could not start the embedded DynamoDB store: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting dynalite", e);
        }
    }

    private static ProcessBuilder processBuilder(List<String> command, String accessKey) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (accessKey != null) {
            builder.environment().put("SIGNUP_DYNALITE_ACCESS_KEY", accessKey);
        }
        return builder;
    }

    /** The access key the store answers to (see {@link #startPrivate}), or null when it answers any. */
    public String accessKey() {
        return accessKey;
    }

    /**
     * The data folder holds every member's name and address: it and the folder above it ({@code ./data/}) are
     * created readable by the service's user only (0700), and made so when they exist with wider permissions. The
     * folder above is left as it is when it holds anything else: SIGNUP_DATA_DIR may name a folder the service
     * shares ({@code /srv}, a home folder), which is not the service's to close.
     */
    static void createPrivately(Path dataDir) throws IOException {
        Path absolute = dataDir.toAbsolutePath().normalize();
        for (Path dir : new Path[] { absolute.getParent(), absolute }) {
            if (dir == null) {
                continue;
            }
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else if (!Files.isDirectory(dir)) {
                throw new NotDirectoryException(dir.toString());
            }
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")
                    && !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)
                    && (dir.equals(absolute) || holdsOnly(dir, absolute))) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
                LOG.info("Made {} readable by this user only (it holds the members' data)", dir);
            }
        }
    }

    private static String why(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException) {
            return e.getMessage() + " is a file, not a folder";
        }
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    }

    private static boolean holdsOnly(Path folder, Path content) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.allMatch(content::equals);
        }
    }

    /** The port the process listens on, once it says so; its output goes to the log meanwhile and after. */
    private static int listening(Process process) throws ExecutionException, TimeoutException, InterruptedException {
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, listening), "dynalite-output");
        reader.setDaemon(true);
        reader.start();
        return listening.get(30, TimeUnit.SECONDS);
    }

    /**
     * dynalite ended while the service runs (a crash, or killed): every sign-up would fail from now on, so it is
     * started again, on the same port and data folder (its data is on disk; the embedded default's always is).
     * Ended by the SIGTERM that also stops the service (one sent to the whole process group, as systemd's default
     * KillMode does), it is an expected part of the stop, not an error: started again all the same, for the
     * outcomes the service writes as it stops.
     */
    private void startAgainUnlessClosed() {
        if (closed) {
            return;
        }
        int exit = process.exitValue();
        if (exit == SIGTERM_EXIT && stopsWithTheService()) {
            LOG.info("The embedded DynamoDB store (dynalite) was stopped by the signal that stops the service (sent "
                    + "to its whole process group); starting it again on port {} for the service's last writes", port);
        } else {
            LOG.error("The embedded DynamoDB store (dynalite) stopped with exit code {}; starting it again on port {}",
                    exit, port);
        }
        if (closed) {
            // the service finished its stop meanwhile
            return;
        }
        try {
            Process again = processBuilder(command, accessKey).start();
            listening(again);
            process = again;
            if (closed) {
                close();
                return;
            }
            again.onExit().thenRun(this::startAgainUnlessClosed);
            LOG.info("The embedded DynamoDB store is running again at {}", endpoint());
        } catch (IOException | ExecutionException | TimeoutException e) {
            LOG.error("Could not start the embedded DynamoDB store again: {}; sign-ups fail until the service is "
                    + "restarted", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the JVM begins to stop within a moment: a signal to the process group reaches both at once. */
    private static boolean stopsWithTheService() {
        try {
            return JVM_STOPPING.await(SIGNAL_SHARED_WITHIN_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The process running the store now. */
    long pid() {
        return process.pid();
    }

    private static void readOutput(Process process, CompletableFuture<Integer> listening) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String last = "";
            while ((line = out.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening.complete(Integer.parseInt(m.group(1)));
                } else {
                    LOG.info("dynalite: {}", line);
                    last = line;
                }
            }
            listening.completeExceptionally(
                    new IOException("dynalite exited with code " + exitCode(process) + ": " + last));
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
    }

    private static String exitCode(Process process) {
        try {
            return String.valueOf(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        closed = true;
        Process process = this.process;
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
