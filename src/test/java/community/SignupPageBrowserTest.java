package community;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import community.testing.RunningService;
import community.testing.Upstreams;

/**
 * The sign-up page in a real browser (Debian's headless Chromium), against the real service: what a visitor
 * sees from the form to "invite sent", a field error, a failing step, the page without JavaScript, and a hostile
 * name shown as text. Screenshots of the main screens go to target/screenshots/.
 */
class SignupPageBrowserTest {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String ADMIN_TOKEN = "dashboard-token-2468";
    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static RunningService service;
    WebDriver browser;

    @BeforeAll
    static void start() {
        boolean installed = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        if (!installed && System.getenv("SIGNUP_REQUIRE_BROWSER") != null) {
            throw new IllegalStateException("Chromium and ChromeDriver are required: apt-get install chromium chromium-driver");
        }
        assumeTrue(installed, "browser tests need Debian's chromium and chromium-driver (CI installs them)");
        upstreams.start();
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-browser-test-token", "ac-browser-test-key");
        settings.put("slack.organization", "northpole");
        settings.put("signup.title", "North Pole Makers");
        settings.put("signup.accent", "#b3261e");
        settings.put("signup.coc-url", "https://northpole.example/conduct");
        settings.put("signup.admin-token", ADMIN_TOKEN);
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
            upstreams.stop();
        }
    }

    @BeforeEach
    void upstreamsAnswerNormally() {
        upstreams.resetAll();
        Upstreams.answerNormally(upstreams);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    WebDriver browser(boolean javascript) throws IOException {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=420,900",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        browser = new ChromeDriver(driver, options);
        return browser;
    }

    void screenshot(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    void fillIn(String name, String email) {
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("coc")).click();
    }

    @Test
    void a_visitor_signs_up_and_is_told_the_invite_is_sent() throws IOException {
        browser(true).get(service.uri("/").toString());
        assertThat(browser.getTitle()).isEqualTo("Join North Pole Makers");
        screenshot("signup-page");

        fillIn("Mrs Claus", "mrs.claus@example.org");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome"), "Invite sent!"));
        assertThat(browser.findElement(By.id("progress")).getText()).contains("Sending your Slack invite")
                .contains("succeeded");
        assertThat(browser.findElement(By.id("reference")).getText()).matches("Reference: [0-9a-f-]{36}");
        screenshot("signup-invite-sent");
        assertThat(service.member("mrs.claus@example.org").get("first_name").s()).isEqualTo("Mrs");
    }

    @Test
    void a_field_error_is_shown_beside_the_field_and_nothing_is_sent() throws IOException {
        browser(true).get(service.uri("/").toString());
        fillIn("Jack Frost", "jack.frost@north");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("email-error"), "after the @"));
        assertThat(browser.findElement(By.id("email")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("email");
        screenshot("signup-field-error");
        upstreams.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void an_error_only_the_server_finds_is_shown_beside_its_field() throws IOException {
        browser(true).get(service.uri("/").toString());
        fillIn("Long Local", "a".repeat(70) + "@example.org");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("email-error"),
                "The server says: must have 1 to 64 characters before the @"));
        upstreams.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void a_failing_step_is_shown_in_words_with_the_reference_to_quote() throws IOException {
        upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        browser(true).get(service.uri("/").toString());
        fillIn("Rudolph Reindeer", "rudolph@example.org");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome"), "Sorry"));
        assertThat(browser.findElement(By.id("outcome")).getText())
                .startsWith("Sorry, something went wrong while sending your Slack invite.")
                .containsPattern("quoting [0-9a-f-]{36}");
        assertThat(browser.findElement(By.id("progress")).getText()).contains("failed");
        screenshot("signup-step-failed");
    }

    @Test
    void without_javascript_the_form_lands_on_a_status_page_that_follows_the_execution() throws IOException {
        browser(false).get(service.uri("/").toString());
        fillIn("Buddy Elf", "buddy@example.org");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        waiting().until(ExpectedConditions.urlMatches("/signup/[0-9a-f-]{36}$"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "SUCCEEDED"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("buddy@example.org");
        screenshot("status-page-no-js");
    }

    @Test
    void a_hostile_name_is_shown_as_text() throws IOException {
        String hostile = "<img src=x onerror=alert(1)>";
        browser(false).get(service.uri("/").toString());
        fillIn(hostile, "hostile@example.org");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "SUCCEEDED"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(hostile);
        assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
        try {
            browser.switchTo().alert();
            throw new AssertionError("the name ran as script");
        } catch (NoAlertPresentException expected) {
            // shown as text, as it should be
        }
    }

    void openDashboard(String token) throws IOException {
        browser(true).manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
        browser.get(service.uri("/admin").toString());
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
        browser.findElement(By.cssSelector("#login button")).click();
    }

    org.openqa.selenium.WebElement rowOf(String email) {
        return waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//tbody[@id='rows']/tr[td[2]/div[1][text()='" + email + "']]")));
    }

    @Test
    void the_dashboard_shows_a_failed_execution_and_a_redrive_turns_it_green() throws IOException {
        upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        service.postJson("/signup?wait=true", "{\"email\":\"grinch@example.org\",\"name\":\"The Grinch\"}");
        openDashboard(ADMIN_TOKEN);

        // the dashboard refreshes itself every few seconds: elements found before a refresh go stale
        waiting().ignoring(StaleElementReferenceException.class).until(driver -> rowOf("grinch@example.org")
                .getText().contains("invalid_auth") && rowOf("grinch@example.org").getText().contains("failed"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("counts"), "Today:"));
        assertThat(browser.findElement(By.id("counts")).getText()).containsPattern("[1-9]\\d* failed");
        screenshot("dashboard");

        upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite")).willReturn(okJson("{\"ok\":true}")));
        waiting().ignoring(StaleElementReferenceException.class).until(driver -> {
            rowOf("grinch@example.org").findElement(By.cssSelector("button.redrive")).click();
            return true;
        });
        waiting().ignoring(StaleElementReferenceException.class).until(driver -> rowOf("grinch@example.org")
                .findElement(By.cssSelector("td:nth-child(3) .badge")).getText().equals("succeeded"));
        screenshot("dashboard-redriven");
    }

    @Test
    void the_dashboard_asks_again_for_a_wrong_token() throws IOException {
        openDashboard("not-the-token");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-error"),
                "a valid operator token is required"));
        assertThat(browser.findElement(By.id("board")).isDisplayed()).isFalse();
    }

    @Test
    void the_dashboard_shows_a_hostile_name_as_text() throws IOException {
        String hostile = "<img src=x onerror=alert(1)>";
        service.postJson("/signup?wait=true",
                "{\"email\":\"hostile-admin@example.org\",\"first_name\":\"" + hostile + "\"}");
        openDashboard(ADMIN_TOKEN);

        waiting().ignoring(StaleElementReferenceException.class)
                .until(driver -> rowOf("hostile-admin@example.org").getText().contains(hostile));
        assertThat(browser.findElements(By.cssSelector("#rows img"))).isEmpty();
        try {
            browser.switchTo().alert();
            throw new AssertionError("the name ran as script");
        } catch (NoAlertPresentException expected) {
            // shown as text
        }
    }
}
