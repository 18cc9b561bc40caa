package community.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jdk.jfr.FlightRecorder;

/**
 * Marks the class archive this JVM writes as it stops (the launcher's {@code -XX:ArchiveClassesAtExit}, named in
 * {@code signup.class-archive-dump}) when Java Flight Recorder recorded here ({@code jcmd JFR.start}; a recording
 * asked for at the start the JVM itself turns off while it is to write an archive): one such archive made every
 * later start of its build four times as costly per sign-up (README, "The launcher's settings"), so the launcher
 * throws a marked one away rather than take it over.
 */
public final class ClassArchiveMark {

    private ClassArchiveMark() {
    }

    /** Checks as the JVM stops, after which it writes the archive. */
    public static void watch(String dump) {
        if (dump == null || dump.isBlank()) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (FlightRecorder.isInitialized()) {
                try {
                    Files.writeString(Path.of(dump + ".jfr"), "JFR recorded in the JVM that wrote " + dump + "\n");
                } catch (IOException e) {
                    System.err.println("Could not mark " + dump + " as written after JFR recorded: " + e);
                }
            }
        }, "class-archive-mark"));
    }
}
