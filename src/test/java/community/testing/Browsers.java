package community.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium, driven by its own chromedriver: nothing downloads a browser or a driver. */
public final class Browsers {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private Browsers() {
    }

    /** Skips the browser tests where Chromium is not installed, unless SIGNUP_REQUIRE_BROWSER says they must run. */
    public static void requireInstalled() {
        boolean installed = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        if (!installed && System.getenv("SIGNUP_REQUIRE_BROWSER") != null) {
            throw new IllegalStateException("Chromium and ChromeDriver are required: apt-get install chromium chromium-driver");
        }
        assumeTrue(installed, "browser tests need Debian's chromium and chromium-driver (CI installs them)");
    }

    /** A headless Chromium; on a phone, with a phone's screen (360 by 740 CSS pixels, touch, twice the density). */
    public static WebDriver chromium(boolean javascript, boolean phone) throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        if (phone) {
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", 360, "height", 740, "pixelRatio", 2.0, "touch", true)));
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=420,900",
                "--user-data-dir=" + profile);
        // what the page's console says, for the tests that check it stays quiet
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        return new ChromeDriver(driver, options) {
            /** The profile goes with the browser: a run of the suite left thousands of them in the temp folder. */
            @Override
            public void quit() {
                super.quit();
                deleteTree(profile);
            }
        };
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
