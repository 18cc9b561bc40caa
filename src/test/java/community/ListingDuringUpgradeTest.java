package community;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import community.execution.Execution;
import community.testing.RunningService;

/**
 * During a rolling upgrade an instance of an earlier version still stores executions under the listing's one key
 * of before, while this version lists by day: the listing pages through both, each execution once.
 */
class ListingDuringUpgradeTest {

    static RunningService service;

    @BeforeAll
    static void start() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.admin-token", ListingByDayTest.ADMIN_TOKEN);
        // the moves to the listing by day run at start and then not while the test pages (an hour later)
        settings.put("signup.recovery-interval", "1h");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void executions_an_earlier_instance_stores_meanwhile_are_listed_once_each() {
        List<String> expected = new ArrayList<>();
        for (String email : List.of("new-one@example.org", "new-two@example.org")) {
            JsonNode done = service.postJson("/signup?wait=true",
                    "{\"email\":\"" + email + "\",\"name\":\"New Version\"}").json();
            expected.add(0, done.path("executionId").asText());
        }
        // stored by an instance of the earlier version, after this one has started (and moved what it found)
        Instant now = Instant.now();
        for (Instant startedAt : List.of(now.minus(1, ChronoUnit.HOURS), now.minus(1, ChronoUnit.DAYS),
                now.minus(3, ChronoUnit.DAYS))) {
            Execution earlier = ListingByDayTest.storedByAnEarlierVersion(
                    service.sameTables().get("dynamodb.executions-table"), startedAt);
            expected.add(earlier.executionId());
        }

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = service.send(HttpRequest.newBuilder(service.uri("/executions?limit=1"
                    + (cursor == null ? "" : "&cursor=" + cursor)))
                    .header("Authorization", "Bearer " + ListingByDayTest.ADMIN_TOKEN).GET()).json();
            paged.addAll(ListingByDayTest.ids(page));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 20);

        // this version's first, by day; then the earlier version's, read last, newest first among them
        assertThat(paged).containsExactlyElementsOf(expected);
    }
}
