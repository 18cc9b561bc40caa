package community;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import community.testing.Browsers;
import community.testing.RunningService;
import community.testing.RunningService.Answer;
import community.testing.Upstreams;

/**
 * Steps are routes: while the service runs, an operator copies README's example step (docs/examples) into routes/
 * and adds one line to the fan-out, and the next sign-up has a fourth step: in its document, its history, the
 * metrics, the dashboard and the visitor's pages. A failing fourth step fails only itself.
 */
class AddingAStepTest {

    static final String ADMIN_TOKEN = "adding-a-step-token-0123456789abcdef";
    static final String ORGANISERS = "/hooks/chat";

    @TempDir
    Path routes;

    final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    RunningService service;
    WebDriver browser;

    @BeforeEach
    void start() throws IOException {
        RunningService.copyRoutes(routes);
        upstreams.start();
        Upstreams.answerNormally(upstreams);
        organisersAnswer(200);
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-adding-a-step", "ac-adding-a-step");
        settings.put("signup.routes-directory", routes.toString());
        settings.put("signup.routes-reload", "true");
        settings.put("signup.admin-token", ADMIN_TOKEN);
        // the example's own setting, as an operator would put it in application.properties
        settings.put("chat.url", upstreams.baseUrl() + ORGANISERS);
        service = RunningService.start(settings);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
        upstreams.stop();
    }

    void organisersAnswer(int status) {
        upstreams.stubFor(post(urlEqualTo(ORGANISERS)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "text/plain").withBody(status < 300 ? "ok" : "no such channel")));
    }

    /** What README's "Adding a step" says to do: the route file, and one line in the fan-out. */
    void addTheExampleStep() throws IOException {
        Files.copy(Path.of("docs/examples/announce-in-chat.camel.yaml"), routes.resolve("announce-in-chat.camel.yaml"));
        Path fanOut = routes.resolve("run-execution.camel.yaml");
        String before = Files.readString(fanOut);
        String line = "              - to: direct:AnnounceInChat\n";
        String anchor = "                  uri: direct:NotifyOrganisers\n                  parameters:\n"
                + "                    block: false\n";
        assertThat(before).contains(anchor);
        Files.writeString(fanOut, before.replace(anchor, anchor + line));
    }

    /** Signs up until a sign-up has the new step (the edit takes a moment to be picked up); its document. */
    JsonNode signUpOnceTheStepIsThere(String name) {
        List<JsonNode> document = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Answer answer = service.postJson("/signup?wait=true", "{\"email\":\"" + name + "-" + System.nanoTime()
                    + "@example.org\",\"name\":\"Rudolph \\\"Red\\\" Reindeer\"}");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("results").has("AnnounceInChat")).isTrue();
            document.add(answer.json());
        });
        return document.get(0);
    }

    Answer html(String path) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).header("Accept", "text/html").GET());
    }

    @Test
    void a_route_file_and_one_line_in_the_fan_out_add_a_step_to_the_next_sign_up_everywhere() throws IOException {
        Answer first = service.postJson("/signup?wait=true", "{\"email\":\"before@example.org\",\"name\":\"Ann Before\"}");
        assertThat(fieldNames(first.json().path("results")))
                .containsExactly("RecordDB", "RecordAC", "InviteSlack", "NotifyOrganisers");

        addTheExampleStep();
        JsonNode doc = signUpOnceTheStepIsThere("added");

        assertThat(doc.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(fieldNames(doc.path("results")))
                .containsExactly("RecordDB", "RecordAC", "InviteSlack", "NotifyOrganisers", "AnnounceInChat");
        assertThat(doc.path("results").path("AnnounceInChat").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(doc.path("results").path("AnnounceInChat").path("attempts").asInt()).isEqualTo(1);
        String email = doc.path("input").path("email").asText();
        upstreams.verify(postRequestedFor(urlEqualTo(ORGANISERS)).withRequestBody(
                equalToJson("{\"text\": \"Welcome, Rudolph \\\"Red\\\" Reindeer!\"}")));
        String id = doc.path("executionId").asText();
        JsonNode history = service.get("/signup/" + id + "?history=true").json().path("history");
        assertThat(history.findValuesAsText("step")).contains("AnnounceInChat");

        // the visitor's page without JavaScript, in the step's own words
        String page = html("/signup/" + id).body();
        assertThat(page).contains("<span>Announcing you in our chat</span> <span class=\"badge SUCCEEDED\">succeeded");
        // the dashboard's columns, the operator API and the metrics
        assertThat(html("/admin").body()).contains("<th data-step=\"AnnounceInChat\" title=\"Announcing you in our chat\">");
        JsonNode listed = service.send(HttpRequest.newBuilder(service.uri("/executions?limit=5"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET()).json().path("executions");
        assertThat(listed.findValues("AnnounceInChat")).isNotEmpty();
        assertThat(service.get("/observe/metrics").body())
                .containsPattern("signup_step_attempts_total\\{step=\"AnnounceInChat\"} [1-9]");
        // an execution accepted before the step keeps the steps it had
        assertThat(fieldNames(service.get("/signup/" + first.json().path("executionId").asText()).json()
                .path("results"))).containsExactly("RecordDB", "RecordAC", "InviteSlack", "NotifyOrganisers");
    }

    @Test
    void a_failing_added_step_fails_only_itself_and_the_visitor_is_told_which() throws IOException {
        organisersAnswer(404);
        addTheExampleStep();
        JsonNode doc = signUpOnceTheStepIsThere("failing");

        assertThat(doc.path("status").asText()).isEqualTo("FAILED");
        JsonNode results = doc.path("results");
        assertThat(results.path("AnnounceInChat").path("status").asText()).isEqualTo("FAILED");
        assertThat(results.path("AnnounceInChat").path("error").asText()).isEqualTo("Rejected");
        assertThat(results.path("AnnounceInChat").path("attempts").asInt()).as("a 404 is not tried again").isEqualTo(1);
        assertThat(results.path("AnnounceInChat").path("cause").asText())
                .isEqualTo("AnnounceInChat: The community chat answered HTTP 404: no such channel (attempt 1 of 4)");
        for (String other : List.of("RecordDB", "RecordAC", "InviteSlack")) {
            assertThat(results.path(other).path("status").asText()).as(other).isEqualTo("SUCCEEDED");
        }
        String email = doc.path("input").path("email").asText();
        assertThat(service.member(email)).as("the member is recorded all the same").isNotEmpty();
        assertThat(html("/signup/" + doc.path("executionId").asText()).body())
                .contains("Sorry, something went wrong while announcing you in our chat.");
    }

    @Test
    void a_step_removed_from_the_fan_out_is_skipped_when_an_execution_that_had_it_is_redriven() throws IOException {
        organisersAnswer(404);
        addTheExampleStep();
        JsonNode doc = signUpOnceTheStepIsThere("removed");
        assertThat(doc.path("status").asText()).isEqualTo("FAILED");
        String id = doc.path("executionId").asText();

        // the operator takes the step out again (its line in the fan-out), then redrives what failed
        Path fanOut = routes.resolve("run-execution.camel.yaml");
        Files.writeString(fanOut, Files.readString(fanOut).replace("              - to: direct:AnnounceInChat\n", ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> !service.postJson("/signup?wait=true",
                "{\"email\":\"gone-" + System.nanoTime() + "@example.org\"}").json().path("results")
                .has("AnnounceInChat"));
        Answer redrive = service.send(HttpRequest.newBuilder(service.uri("/executions/" + id + "/redrive"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(redrive.status()).isEqualTo(202);

        JsonNode after = await().atMost(Duration.ofSeconds(20)).until(
                () -> service.get("/signup/" + id).json(), d -> !d.path("status").asText().equals("RUNNING"));
        assertThat(after.path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode removed = after.path("results").path("AnnounceInChat");
        assertThat(removed.path("status").asText()).isEqualTo("SKIPPED");
        assertThat(removed.path("error").asText()).isEqualTo("NotInFlow");
        assertThat(removed.path("cause").asText()).isEqualTo(
                "AnnounceInChat: the step is no longer in the fan-out (run-execution.camel.yaml), so it did not run");
        upstreams.verify(1, postRequestedFor(urlEqualTo(ORGANISERS)));
    }

    @Test
    void in_a_browser_the_added_step_shows_on_the_visitors_page_and_in_the_dashboard() throws IOException {
        Browsers.requireInstalled();
        addTheExampleStep();
        signUpOnceTheStepIsThere("warm");

        browser = Browsers.chromium(true, false);
        WebDriverWait waiting = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get(service.uri("/").toString());
        browser.findElement(By.id("name")).sendKeys("Vixen Visitor");
        browser.findElement(By.id("email")).sendKeys("vixen@example.org");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waiting.until(ExpectedConditions.textToBe(By.id("outcome"), "Invite sent! Check your inbox for an e-mail from Slack."));
        List<String> shown = browser.findElements(By.cssSelector("#progress li")).stream()
                .map(li -> li.findElement(By.cssSelector("span")).getText() + ": "
                        + li.findElement(By.cssSelector(".badge")).getText()).toList();
        // NotifyOrganisers is not configured here: SKIPPED on every sign-up, and not the visitor's concern
        assertThat(shown).containsExactly("Saving your details: succeeded", "Adding you to our mailing list: succeeded",
                "Sending your Slack invite: succeeded", "Announcing you in our chat: succeeded");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
        browser.get(service.uri("/admin").toString());
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(ADMIN_TOKEN);
        browser.findElement(By.cssSelector("#login button")).click();
        assertThat(waiting.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("th[data-step=AnnounceInChat]"))).getText()).isEqualTo("AnnounceInChat");
        waiting.ignoring(StaleElementReferenceException.class).until(driver -> driver.findElement(By.xpath(
                "//tbody[@id='rows']/tr[td[2]/div[1][text()='vixen@example.org']]/td[8]")).getText()
                .startsWith("succeeded 1 attempt"));
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
