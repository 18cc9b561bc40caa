package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import community.testing.Browsers;
import community.testing.RunningService;
import community.testing.Upstreams;

/**
 * The sign-up page in a real browser (Debian's headless Chromium), against the real service: what a visitor
 * sees from the form to "invite sent", a field error, a failing step, the page without JavaScript, and a hostile
 * name shown as text. Screenshots of the main screens go to target/screenshots/.
 */
class SignupPageBrowserTest {

    static final String ADMIN_TOKEN = "dashboard-token-2468-abcdefghijklmnopq";
    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static RunningService service;
    WebDriver browser;

    @BeforeAll
    static void start() {
        Browsers.requireInstalled();
        upstreams.start();
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-browser-test-token", "ac-browser-test-key");
        settings.put("slack.organization", "northpole");
        settings.put("signup.title", "North Pole Makers");
        settings.put("signup.accent", "#b3261e");
        settings.put("signup.coc-url", "https://northpole.example/conduct");
        settings.put("signup.privacy-url", "https://northpole.example/privacy?lang=en&v=2");
        settings.put("signup.admin-token", ADMIN_TOKEN);
        // the community's own site, which may post sign-ups and show the form in a frame: 127.0.0.1 on the stubs'
        // port (localhost there is another site, the lure's)
        settings.put("signup.cors-origins", communitysSite());
        // long enough for a slow second attempt to be seen as "still trying"
        settings.put("slack.timeout", "6000");
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
        return browser(javascript, false);
    }

    WebDriver browser(boolean javascript, boolean phone) throws IOException {
        browser = Browsers.chromium(javascript, phone);
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

    /** Opens the sign-up page, with or without JavaScript, fills it in and sends it. */
    void signUpOnThePage(boolean javaScript, String name, String email) throws IOException {
        browser(javaScript).get(service.uri("/").toString());
        fillIn(name, email);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    @Test
    void a_visitor_signs_up_and_is_told_the_invite_is_sent() throws IOException {
        browser(true).get(service.uri("/").toString());
        assertThat(browser.getTitle()).isEqualTo("Join North Pole Makers");
        // what the community keeps about people, and why: linked where they give it
        WebElement privacy = browser.findElement(By.cssSelector("#signup #privacy a"));
        assertThat(privacy.isDisplayed()).isTrue();
        assertThat(privacy.getText()).isEqualTo("privacy notice");
        assertThat(privacy.getAttribute("href")).isEqualTo("https://northpole.example/privacy?lang=en&v=2");
        screenshot("signup-page");

        fillIn("Mrs Claus", "mrs.claus@example.org");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        waiting().until(ExpectedConditions.textToBe(By.id("outcome"), "Invite sent! Check your inbox for an e-mail from Slack."));
        assertThat(browser.findElement(By.id("progress")).getText()).contains("Sending your Slack invite")
                .contains("succeeded");
        assertThat(browser.findElement(By.id("reference")).getText()).matches("Reference: [0-9a-f-]{36}");
        // the outcome has the focus (for the keyboard and screen readers), but a tap or a click draws no ring round it
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("progress");
        assertThat(browser.findElement(By.id("progress")).getCssValue("outline-style")).isEqualTo("none");
        screenshot("signup-invite-sent");
        assertThat(service.member("mrs.claus@example.org").get("first_name").s()).isEqualTo("Mrs");
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("the console: no 404, no error")
                .noneMatch(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue());
    }

    @Test
    void an_address_that_has_signed_up_before_is_told_so_in_words_and_nothing_of_that_sign_up() throws IOException {
        signUpOnThePage(true, "Dasher Deer", "dasher@example.org");
        waiting().until(ExpectedConditions.textToBe(By.id("outcome"), "Invite sent! Check your inbox for an e-mail from Slack."));
        browser.quit();

        signUpOnThePage(true, "Someone Else", "dasher@example.org");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome"), "already signed up"));
        assertThat(browser.findElement(By.id("outcome")).getText()).isEqualTo(
                "This address has already signed up: look for the invite in its inbox, or sign in at "
                        + "northpole.slack.com.");
        assertThat(browser.findElement(By.id("progress")).getText()).doesNotContain("Dasher", "Reference");
        browser.quit();

        signUpOnThePage(false, "Someone Else", "dasher@example.org");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome"), "already signed up"));
        assertThat(browser.getCurrentUrl()).endsWith("/signup/already-signed-up");
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Dasher", "Reference");
        upstreams.verify(1, postRequestedFor(urlEqualTo("/api/users.admin.invite")));
    }

    @Test
    void another_sites_page_cannot_make_its_visitors_sign_up() throws IOException {
        // a page elsewhere (localhost is another site than 127.0.0.1) that posts the sign-up form as it loads
        upstreams.stubFor(WireMock.get(urlEqualTo("/lure")).willReturn(aResponse()
                .withHeader("Content-Type", "text/html")
                .withBody("<!doctype html><form method=post action=\"" + service.uri("/signup") + "\">"
                        + "<input name=email value=lured@example.org><input name=name value=\"Lu Red\">"
                        + "<input name=coc value=true></form><script>document.forms[0].submit()</script>")));
        browser(true).get("http://localhost:" + upstreams.port() + "/lure");

        waiting().until(ExpectedConditions.urlToBe(service.uri("/signup").toString()));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"),
                "sign-ups from another site's page are not accepted here"));
        assertThat(service.member("lured@example.org")).isEmpty();
        upstreams.verify(0, postRequestedFor(urlEqualTo("/api/users.admin.invite")));
    }

    static String communitysSite() {
        return "http://127.0.0.1:" + upstreams.port();
    }

    /** The community's site, a page with the sign-up form in a frame. */
    void openTheCommunitysSiteWithTheFormInAFrame(boolean javascript) throws IOException {
        upstreams.stubFor(WireMock.get(urlEqualTo("/join")).willReturn(aResponse()
                .withHeader("Content-Type", "text/html")
                .withBody("<!doctype html><title>Our community</title><h1>Join us</h1><iframe id=\"signup\" src=\""
                        + service.uri("/") + "\" width=\"600\" height=\"900\"></iframe>")));
        browser(javascript).get(communitysSite() + "/join");
        browser.switchTo().frame("signup");
        fillIn("Frosty Snow", javascript ? "frosty@example.org" : "snowy@example.org");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    @Test
    void the_communitys_own_site_shows_the_form_in_a_frame_and_a_visitor_signs_up_there() throws IOException {
        openTheCommunitysSiteWithTheFormInAFrame(true);

        waiting().until(ExpectedConditions.textToBe(By.id("outcome"), "Invite sent! Check your inbox for an e-mail from Slack."));
        assertThat(service.member("frosty@example.org")).isNotEmpty();
    }

    @Test
    void without_javascript_the_framed_form_lands_on_the_status_page_in_the_frame() throws IOException {
        openTheCommunitysSiteWithTheFormInAFrame(false);

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "SUCCEEDED"));
        assertThat(browser.findElement(By.id("outcome")).getText())
                .isEqualTo("Invite sent! Check your inbox for an e-mail from Slack.");
        browser.switchTo().defaultContent();
        assertThat(browser.getCurrentUrl()).isEqualTo(communitysSite() + "/join");
    }

    @Test
    void only_the_communitys_site_may_frame_the_pages_and_no_site_the_dashboard() {
        String framers = "frame-ancestors 'self' " + communitysSite() + ";";
        assertThat(service.get("/").header("Content-Security-Policy")).contains(framers);
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/signup/already-signed-up"))
                .header("Accept", "text/html")).header("Content-Security-Policy")).contains(framers);
        assertThat(service.get("/admin").header("Content-Security-Policy")).contains("frame-ancestors 'none';");
    }

    @Test
    void a_field_error_is_shown_beside_the_field_and_nothing_is_sent() throws IOException {
        signUpOnThePage(true, "Jack Frost", "jack.frost@north");

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("email-error"), "after the @"));
        assertThat(browser.findElement(By.id("email")).getAttribute("aria-invalid")).isEqualTo("true");
        // announced by a screen reader as it appears, and tied to its field
        assertThat(browser.findElement(By.id("email-error")).getAttribute("role")).isEqualTo("alert");
        assertThat(browser.findElement(By.id("email")).getAttribute("aria-describedby")).isEqualTo("email-error");
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("email");
        screenshot("signup-field-error");
        upstreams.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void an_error_only_the_server_finds_is_shown_beside_its_field() throws IOException {
        signUpOnThePage(true, "Long Local", "a".repeat(70) + "@example.org");

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("email-error"),
                "The server says: must have 1 to 64 characters before the @"));
        upstreams.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void a_failing_step_is_shown_in_words_with_the_reference_to_quote() throws IOException {
        upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        signUpOnThePage(true, "Rudolph Reindeer", "rudolph@example.org");

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome"), "Sorry"));
        assertThat(browser.findElement(By.id("outcome")).getText())
                .startsWith("Sorry, something went wrong while sending your Slack invite.")
                .containsPattern("quoting [0-9a-f-]{36}");
        assertThat(browser.findElement(By.id("progress")).getText()).contains("failed");
        screenshot("signup-step-failed");
    }

    @Test
    void a_visitor_can_sign_up_with_the_keyboard_alone_in_the_order_the_form_reads() throws IOException {
        browser(true).get(service.uri("/").toString());
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            WebElement focused = browser.switchTo().activeElement();
            order.add(switch (focused.getTagName()) {
                case "a" -> "code of conduct link";
                case "button" -> "button";
                default -> focused.getAttribute("id");
            });
            switch (order.get(i)) {
                case "name" -> focused.sendKeys("Ada Lovelace");
                case "email" -> focused.sendKeys("ada@example.org");
                case "coc" -> focused.sendKeys(Keys.SPACE);
                default -> { }
            }
        }
        // the honeypot is skipped: a keyboard user never lands in it
        assertThat(order).containsExactly("name", "email", "coc", "code of conduct link", "button");
        for (String field : List.of("name", "email", "coc")) {
            assertThat(browser.findElements(By.cssSelector("label[for=" + field + "]"))).as(field + "'s label")
                    .hasSize(1);
        }
        WebElement button = browser.switchTo().activeElement();
        assertThat(button.getText()).isEqualTo("Request my invite");
        button.sendKeys(Keys.ENTER);

        waiting().until(ExpectedConditions.textToBe(By.id("outcome"), "Invite sent! Check your inbox for an e-mail from Slack."));
        // the outcome takes the focus, so that the keyboard (and a screen reader) is where the news is
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("progress");
        assertThat(browser.findElement(By.id("progress")).getCssValue("outline-style")).as("its focus ring")
                .isEqualTo("solid");
        assertThat(browser.findElement(By.id("progress")).getAttribute("aria-live")).isEqualTo("polite");
        assertThat(service.member("ada@example.org").get("first_name").s()).isEqualTo("Ada");
    }

    @Test
    void on_a_phone_the_form_fits_the_screen_and_is_easy_to_touch() throws IOException {
        browser(true, true).get(service.uri("/").toString());
        JavascriptExecutor page = (JavascriptExecutor) browser;
        long width = (Long) page.executeScript("return window.innerWidth");
        assertThat(width).isEqualTo(360);
        assertThat((Long) page.executeScript("return document.documentElement.scrollWidth"))
                .as("no sideways scrolling").isLessThanOrEqualTo(width);
        for (String field : List.of("name", "email")) {
            WebElement input = browser.findElement(By.id(field));
            assertThat(input.getRect().getX()).isGreaterThanOrEqualTo(0);
            assertThat(input.getRect().getX() + input.getRect().getWidth()).isLessThanOrEqualTo((int) width);
            // below 16px a phone's browser zooms in on focus and the page jumps
            assertThat(Double.parseDouble(input.getCssValue("font-size").replace("px", "")))
                    .isGreaterThanOrEqualTo(16);
        }
        WebElement button = browser.findElement(By.cssSelector("button[type=submit]"));
        assertThat(button.getRect().getHeight()).as("a thumb-sized button").isGreaterThanOrEqualTo(44);
        screenshot("signup-phone");

        fillIn("Pocket Elf", "pocket@example.org");
        button.click();
        waiting().until(ExpectedConditions.textToBe(By.id("outcome"), "Invite sent! Check your inbox for an e-mail from Slack."));
        assertThat((Long) page.executeScript("return document.documentElement.scrollWidth"))
                .isLessThanOrEqualTo(width);
        screenshot("signup-phone-invite-sent");
    }

    @Test
    void a_member_already_in_the_workspace_is_told_so_with_a_link_to_sign_in() throws IOException {
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE))
                .willReturn(okJson("{\"ok\":false,\"error\":\"already_in_team\"}")));
        signUpOnThePage(true, "Old Timer", "old.timer@example.org");

        // shown as soon as Slack has answered, and the whole outcome once every step has ended
        waiting().until(ExpectedConditions.textToBe(By.id("outcome"),
                "You are already a member: sign in at northpole.slack.com."));
        assertThat(browser.findElement(By.cssSelector("#outcome a")).getAttribute("href"))
                .isEqualTo("https://northpole.slack.com/");
        screenshot("signup-already-a-member");
    }

    @Test
    void a_step_that_is_retrying_is_shown_as_still_trying_until_it_goes_through() throws IOException {
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE)).inScenario("slow second attempt")
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(500)).willSetStateTo("retrying"));
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE)).inScenario("slow second attempt")
                .whenScenarioStateIs("retrying").willReturn(okJson("{\"ok\":true}").withFixedDelay(3000)));
        signUpOnThePage(true, "Patient Penguin", "patient@example.org");

        waiting().pollingEvery(Duration.ofMillis(100))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome"), "Still trying"));
        assertThat(browser.findElement(By.id("progress")).getText()).contains("retrying");
        screenshot("signup-still-trying");
        waiting().until(ExpectedConditions.textToBe(By.id("outcome"), "Invite sent! Check your inbox for an e-mail from Slack."));
    }

    @Test
    void without_javascript_the_form_lands_on_a_status_page_that_follows_the_execution() throws IOException {
        signUpOnThePage(false, "Buddy Elf", "buddy@example.org");

        waiting().until(ExpectedConditions.urlMatches("/signup/[0-9a-f-]{36}$"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "SUCCEEDED"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("buddy@example.org")
                .contains("Sending your Slack invite");
        assertThat(browser.findElement(By.id("outcome")).getText())
                .isEqualTo("Invite sent! Check your inbox for an e-mail from Slack.");
        screenshot("status-page-no-js");
    }

    @Test
    void without_javascript_a_failing_step_is_told_in_words_too() throws IOException {
        upstreams.stubFor(post(urlEqualTo(Upstreams.SLACK_INVITE))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        signUpOnThePage(false, "Cindy Lou", "cindy.lou@example.org");

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "FAILED"));
        assertThat(browser.findElement(By.id("outcome")).getText())
                .startsWith("Sorry, something went wrong while sending your Slack invite.")
                .containsPattern("quoting [0-9a-f-]{36}");
    }

    @Test
    void without_javascript_a_mistyped_address_is_told_in_words_with_the_way_back() throws IOException {
        // a browser takes north@pole as an e-mail address; the service does not (no dotted domain)
        signUpOnThePage(false, "Nick North", "north@pole");

        waiting().until(ExpectedConditions.titleIs("Sign-up not taken"));
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("We could not take your sign-up. Please put this right on the form, then send it again:")
                .contains("E-mail: must have a domain with a dot, like example.org")
                .doesNotContain("{\"error\"");
        screenshot("signup-refused-no-js");
        browser.findElement(By.linkText("Back to the form")).click();
        waiting().until(ExpectedConditions.titleIs("Join North Pole Makers"));
        upstreams.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void a_hostile_name_is_shown_as_text() throws IOException {
        String hostile = "<img src=x onerror=alert(1)>";
        signUpOnThePage(false, hostile, "hostile@example.org");

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
        loginToDashboard(token);
    }

    void loginToDashboard(String token) {
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
        service.postJson("/signup?wait=true",
                "{\"email\":\"grinch@example.org\",\"name\":\"The Grinch\",\"coc\":true}");
        openDashboard(ADMIN_TOKEN);

        // the dashboard refreshes itself every few seconds: elements found before a refresh go stale
        waiting().ignoring(StaleElementReferenceException.class).until(driver -> rowOf("grinch@example.org")
                .getText().contains("invalid_auth") && rowOf("grinch@example.org").getText().contains("failed"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("counts"), "Today (UTC"));
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
    void after_an_outage_one_click_redrives_every_failed_sign_up() throws IOException {
        upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        List<String> failed = List.of("outage-1@example.org", "outage-2@example.org", "outage-3@example.org");
        failed.forEach(email -> assertThat(service.postJson("/signup?wait=true", "{\"email\":\"" + email
                + "\",\"name\":\"Out Age\",\"coc\":true}").json().path("status").asText()).isEqualTo("FAILED"));
        upstreams.stubFor(post(urlEqualTo("/api/users.admin.invite")).willReturn(okJson("{\"ok\":true}")));
        openDashboard(ADMIN_TOKEN);
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("redrive-failed"))).click();

        // asked first, with how many: the failed ones of the other tests here count too
        String question = waiting().until(ExpectedConditions.alertIsPresent()).getText();
        assertThat(question).matches("Run the failed steps of \\d+ failed sign-ups again\\?");
        browser.switchTo().alert().accept();

        waiting().until(ExpectedConditions.textMatches(By.id("bulk"), java.util.regex.Pattern.compile("Redriven")));
        int asked = Integer.parseInt(question.replaceAll("\\D", ""));
        assertThat(asked).isGreaterThanOrEqualTo(failed.size());
        // the other tests' failed ones may have been replaced by a newer sign-up of theirs: those are not redriven
        assertThat(browser.findElement(By.id("bulk")).getText())
                .matches("Redriven \\d+ of " + asked + " failed sign-ups(; \\d+ not: .*)?\\.");
        for (String email : failed) {
            waiting().ignoring(StaleElementReferenceException.class).until(driver -> rowOf(email)
                    .findElement(By.cssSelector("td:nth-child(3) .badge")).getText().equals("succeeded"));
        }
        upstreams.verify(failed.size() * 2, postRequestedFor(urlEqualTo("/api/users.admin.invite"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("outage-")));
    }

    @Test
    void the_dashboard_shows_times_in_the_organisers_own_time_zone() throws IOException {
        String startedAt = service.postJson("/signup?wait=true",
                "{\"email\":\"far-east@example.org\",\"name\":\"Far East\",\"coc\":true}").json()
                .path("startedAt").asText();
        browser(true).manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
        ((org.openqa.selenium.chrome.ChromeDriver) browser).executeCdpCommand("Emulation.setTimezoneOverride",
                Map.of("timezoneId", "Asia/Kolkata"));
        loginToDashboard(ADMIN_TOKEN);

        // stored in UTC; an organiser in India reads it five and a half hours later, UTC in the cell's title
        String local = java.time.Instant.parse(startedAt).atZone(java.time.ZoneId.of("Asia/Kolkata"))
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        waiting().ignoring(StaleElementReferenceException.class).until(driver -> rowOf("far-east@example.org")
                .findElement(By.cssSelector("td:nth-child(1)")).getText().equals(local));
        waiting().ignoring(StaleElementReferenceException.class).until(driver -> rowOf("far-east@example.org")
                .findElement(By.cssSelector("td:nth-child(1)")).getAttribute("title").equals(startedAt));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("counts"),
                "Today (UTC, since 05:30 your time):"));
    }

    @Test
    void an_organiser_finds_one_persons_sign_up_by_their_address() throws IOException {
        service.postJson("/signup?wait=true", "{\"email\":\"wrote-in@example.org\",\"name\":\"Wrote In\",\"coc\":true}");
        service.postJson("/signup?wait=true", "{\"email\":\"someone-later@example.org\",\"name\":\"Some One\",\"coc\":true}");
        openDashboard(ADMIN_TOKEN);
        waiting().ignoring(StaleElementReferenceException.class).until(driver -> rowOf("someone-later@example.org"));

        browser.findElement(By.id("find")).sendKeys("Wrote-In@example.org", Keys.ENTER);

        waiting().ignoring(StaleElementReferenceException.class).until(driver -> {
            List<WebElement> rows = browser.findElements(By.cssSelector("#rows tr"));
            return rows.size() == 1 && rows.get(0).getText().contains("wrote-in@example.org");
        });
        browser.findElement(By.id("find")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "nobody@example.org", Keys.ENTER);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("rows"),
                "No sign-up from nobody@example.org."));
        browser.findElement(By.id("find")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "wrote-in", Keys.ENTER);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("rows"),
                "No sign-up could come from wrote-in: must contain exactly one @."));
    }

    @Test
    void an_organiser_forgets_a_person_who_asks_to_be_forgotten() throws IOException {
        String email = "forget-me-admin@example.org";
        upstreams.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo(
                "/api/3/contacts?email=forget-me-admin%40example.org")).willReturn(okJson(
                "{\"contacts\":[{\"id\":\"7\",\"email\":\"Forget-Me-Admin@example.org\"}]}")));
        upstreams.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlEqualTo("/api/3/contacts/7"))
                .willReturn(okJson("{}")));
        String id = service.postJson("/signup?wait=true", "{\"email\":\"" + email + "\",\"name\":\"Forget Me\","
                + "\"coc\":true}").json().path("executionId").asText();
        openDashboard(ADMIN_TOKEN);
        browser.findElement(By.id("find")).sendKeys(email, Keys.ENTER);
        waiting().ignoring(StaleElementReferenceException.class).until(driver -> {
            rowOf(email).findElement(By.cssSelector("button.forget")).click();
            return true;
        });

        // asked first, naming the person and what stays elsewhere
        String question = waiting().until(ExpectedConditions.alertIsPresent()).getText();
        assertThat(question).startsWith("Delete " + email + "'s member record and every sign-up of theirs")
                .contains("and their contact in ActiveCampaign if the service syncs to it? This cannot be undone.");
        browser.switchTo().alert().accept();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk"),
                "Forgot " + email + ": their member record and 1 sign-up. Their ActiveCampaign contact: deleted."));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("rows"), "No sign-up from " + email));
        assertThat(service.member(email)).isEmpty();
        assertThat(service.get("/signup/" + id).status()).isEqualTo(404);
    }

    @Test
    void an_organiser_downloads_the_members_as_a_spreadsheet() throws IOException {
        service.postJson("/signup?wait=true", "{\"email\":\"in-the-sheet@example.org\",\"name\":\"Sheet Member\","
                + "\"coc\":true}");
        Path downloads = Files.createTempDirectory("downloads");
        openDashboard(ADMIN_TOKEN);
        ((org.openqa.selenium.chrome.ChromeDriver) browser).executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toString()));

        waiting().until(ExpectedConditions.elementToBeClickable(By.id("export"))).click();

        String name = "members-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + ".csv";
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk"), "Saved " + name + "."));
        Path saved = downloads.resolve(name);
        waiting().until(driver -> Files.exists(saved));
        assertThat(Files.readString(saved)).startsWith("\uFEFFemail,first_name,last_name,signed_up_at\r\n")
                .contains("\"in-the-sheet@example.org\",\"Sheet\",\"Member\",");
        Files.delete(saved);
        Files.delete(downloads);
    }

    @Test
    void on_a_phone_the_dashboard_table_scrolls_on_its_own_and_the_page_does_not() throws IOException {
        service.postJson("/signup?wait=true",
                "{\"email\":\"pocket-admin@example.org\",\"name\":\"Pocket Admin\",\"coc\":true}");
        browser(true, true);
        loginToDashboard(ADMIN_TOKEN);

        waiting().ignoring(StaleElementReferenceException.class)
                .until(driver -> rowOf("pocket-admin@example.org").getText().contains("succeeded"));
        JavascriptExecutor page = (JavascriptExecutor) browser;
        long width = (Long) page.executeScript("return window.innerWidth");
        assertThat((Long) page.executeScript("return document.documentElement.scrollWidth"))
                .as("no sideways scrolling of the page").isLessThanOrEqualTo(width);
        assertThat((Long) page.executeScript("const s = document.querySelector('.scroll');"
                + " return s.scrollWidth > s.clientWidth ? 1 : 0")).as("the table scrolls in its box").isEqualTo(1L);
        screenshot("dashboard-phone");
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
                "{\"email\":\"hostile-admin@example.org\",\"coc\":true,\"first_name\":\"" + hostile + "\"}");
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
