package community.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import community.signup.SignupRequest;

/** The execution document as DESIGN.md shows it: what GET /signup/{id} answers and what the table keeps. */
class ExecutionDocumentsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void timestampsHaveMillisecondsAlways() {
        assertEquals("2026-11-25T10:00:00.000Z", ExecutionDocuments.iso(T0));
        assertEquals("2026-11-25T10:00:00.007Z", ExecutionDocuments.iso(T0.plusMillis(7)));
        assertEquals("2026-11-25T10:00:00.412Z", ExecutionDocuments.iso(T0.plusNanos(412_999_999)));
        assertEquals("2026-11-25T10:00:01.090Z", ExecutionDocuments.iso(T0.plusMillis(1090)));
        assertEquals("2026-11-25T10:00:00.999Z", ExecutionDocuments.iso(T0.plusMillis(999)));
        assertEquals("1999-12-31T23:59:59.500Z", ExecutionDocuments.iso(Instant.parse("1999-12-31T23:59:59.5Z")));
    }

    @Test
    void documentShowsEachStepAndTheHistory() {
        // the steps in the fan-out's order, as the execution was accepted with them
        Map<String, StepResult> results = new LinkedHashMap<>();
        results.put("RecordDB", new StepResult(StepStatus.SUCCEEDED, 1, T0.plusMillis(3), T0.plusMillis(20),
                null, null, "member added", null));
        results.put("RecordAC", StepResult.pending());
        results.put("InviteSlack", new StepResult(StepStatus.FAILED, 1, T0.plusMillis(3), T0.plusMillis(40),
                "invalid_auth", "InviteSlack failed after 1 attempt: Slack said invalid_auth", null, null));
        Execution execution = new Execution("5f0c", ExecutionStatus.FAILED, T0, T0.plusMillis(412),
                new SignupRequest("santa@example.org", "Santa", "Claus \"Nick\""), results,
                List.of(new Attempt("InviteSlack", 1, T0.plusMillis(3), T0.plusMillis(40), "FAILED", "invalid_auth",
                        "Slack said invalid_auth")));

        String expected = """
                {"executionId":"5f0c","status":"FAILED","startedAt":"2026-11-25T10:00:00.000Z",\
                "stoppedAt":"2026-11-25T10:00:00.412Z",\
                "input":{"email":"santa@example.org","first_name":"Santa","last_name":"Claus \\"Nick\\""},\
                "results":{"RecordDB":{"status":"SUCCEEDED","attempts":1,"startedAt":"2026-11-25T10:00:00.003Z",\
                "stoppedAt":"2026-11-25T10:00:00.020Z","detail":"member added"},\
                "RecordAC":{"status":"PENDING","attempts":0},\
                "InviteSlack":{"status":"FAILED","attempts":1,"startedAt":"2026-11-25T10:00:00.003Z",\
                "stoppedAt":"2026-11-25T10:00:00.040Z","error":"invalid_auth",\
                "cause":"InviteSlack failed after 1 attempt: Slack said invalid_auth"}},\
                "history":[{"step":"InviteSlack","attempt":1,"startedAt":"2026-11-25T10:00:00.003Z",\
                "stoppedAt":"2026-11-25T10:00:00.040Z","outcome":"FAILED","error":"invalid_auth",\
                "cause":"Slack said invalid_auth"}]}""";
        String written = ExecutionDocuments.toJsonString(execution, true);
        assertEquals(expected, written);
        assertEquals(written, ExecutionDocuments.toJsonString(ExecutionDocuments.fromJsonString(written), true));
        assertEquals(expected.substring(0, expected.indexOf(",\"history\"")) + "}",
                ExecutionDocuments.toJsonString(execution, false));
    }
}
