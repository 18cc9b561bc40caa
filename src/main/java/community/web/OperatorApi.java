package community.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.support.LRUCacheFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import community.execution.Execution;
import community.execution.ExecutionDocuments;
import community.execution.ExecutionRunner;
import community.execution.ExecutionStatus;
import community.execution.ExecutionStore;
import community.execution.Json;
import community.signup.ClientAddresses;
import community.signup.SignupRejected;
import community.signup.SignupValidation;

/**
 * The operator API: {@code GET /executions} (newest first, by status, a page at a time),
 * {@code POST /executions/{id}/redrive}, an organiser's {@code /approve} and {@code /reject} of a waiting
 * invite, {@code GET /members} (as CSV) and {@code POST /members/forget}. All need
 * {@code Authorization: Bearer $SIGNUP_ADMIN_TOKEN}; without that variable set the API is off and says so.
 */
public class OperatorApi {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);
    private static final ObjectMapper JSON = Json.PLAIN;
    private static final int MAX_LIMIT = 100;
    /** How long an answer to an invite waits for the execution's other steps to end. */
    private static final Duration STEPS_WAIT = Duration.ofSeconds(10);

    /** Wrong tokens a client may send before it has to wait; the wait then doubles with each, up to the cap. */
    static final int FREE_TRIES = 5;
    private static final long MAX_WAIT_SECONDS = 300;
    /** A client that sent no wrong token for this long starts afresh. */
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(15);

    private final byte[] token;
    private final ExecutionStore store;
    private final InviteLinkUse inviteLink;
    private final ExecutionRunner runner;
    private final ClientAddresses clients;
    private final Map<String, WrongTokens> wrongTokens = LRUCacheFactory.newLRUCache(64, 10_000);

    /** A client's wrong tokens in a row, and when it sent the last one. */
    private record WrongTokens(int count, long lastNanos) {

        /** Seconds still to wait before the next try is looked at; 0 when it may try now. */
        long secondsToWait(long now) {
            if (count < FREE_TRIES) {
                return 0;
            }
            long wait = Math.min(MAX_WAIT_SECONDS, 1L << Math.min(20, count - FREE_TRIES));
            long left = lastNanos + TimeUnit.SECONDS.toNanos(wait) - now;
            return left <= 0 ? 0 : TimeUnit.NANOSECONDS.toSeconds(left) + 1;
        }
    }

    public OperatorApi(String token, ExecutionStore store, ExecutionRunner runner, ClientAddresses clients,
            InviteLinkUse inviteLink) {
        this.inviteLink = inviteLink;
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.store = store;
        this.runner = runner;
        this.clients = clients;
    }

    /**
     * 403 when the operator API is off, 401 for a missing or wrong token (compared in constant time). The token is
     * read from the request's {@code Authorization} header only: platform-http also copies query parameters and
     * form fields into the message's headers, and a token in a URL ends up in proxy logs and browser history. After
     * {@link #FREE_TRIES} wrong tokens in a row a client waits (429 with Retry-After), twice as long after each.
     */
    public void authorize(Exchange exchange) {
        if (token == null) {
            throw new SignupRejected(403, "the operator API is off: set SIGNUP_ADMIN_TOKEN to turn it on");
        }
        String client = clients.of(exchange);
        long now = System.nanoTime();
        // Each try counts as wrong until it proves right, taken atomically: many guesses sent at once get no more
        // tries than guesses sent one after another.
        long[] wait = new long[1];
        wrongTokens.compute(client, (key, tries) -> {
            if (tries == null || now - tries.lastNanos() > FORGET_NANOS) {
                tries = new WrongTokens(0, now);
            }
            wait[0] = tries.secondsToWait(now);
            return wait[0] > 0 ? tries : new WrongTokens(tries.count() + 1, now);
        });
        if (wait[0] > 0) {
            throw SignupRejected.tooManyRequests(
                    "too many wrong operator tokens; please try again in " + wait[0] + " seconds", wait[0]);
        }
        String header = ClientAddresses.request(exchange).getHeader("Authorization");
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            throw new SignupRejected(401, "a valid operator token is required");
        }
        wrongTokens.remove(client);
    }

    public void list(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "GET");
        authorize(exchange);
        if (exchange.getIn().getHeader("email") != null) {
            // it had been a query parameter: the dashboard's searches then sat in the logs of every proxy on the way
            throw new SignupRejected(400, "look a person up with POST /members/find and {\"email\": …} in the body: "
                    + "an address in a URL is kept in proxies' logs");
        }
        String status = status(exchange.getIn().getHeader("status", String.class));
        int limit = limit(exchange.getIn().getHeader("limit", String.class));
        try {
            answer(exchange, store.list(status, limit, exchange.getIn().getHeader("cursor", String.class)));
        } catch (IllegalArgumentException badCursor) {
            throw new SignupRejected(400, badCursor.getMessage());
        }
    }

    /**
     * {@code POST /members/find} with {@code {"email": …}} (and a {@code "status"} to filter by, as the listing
     * takes): the sign-up one address has now, for "I signed up and got nothing", without paging through days of
     * them. The address as the person typed it (trimmed and lower-cased as a sign-up is), in the body, not a URL.
     */
    public void find(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "POST");
        authorize(exchange);
        JsonNode request = jsonBody(exchange);
        String email = email(request);
        String status = status(request.path("status").isTextual() ? request.path("status").asText() : null);
        answer(exchange, new ExecutionStore.Page(store.current(email)
                .filter(e -> status == null || ExecutionStore.listedStatus(e).equals(status)).stream().toList(), null));
    }

    private static void answer(Exchange exchange, ExecutionStore.Page page) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode executions = body.putArray("executions");
        page.executions().forEach(e -> executions.add(ExecutionDocuments.toJson(e, true)));
        body.put("nextCursor", page.nextCursor());
        JsonAnswers.answer(exchange, 200, Json.write(body));
    }

    /** Today's (UTC) counts by outcome, for the dashboard. */
    public void counts(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "GET");
        authorize(exchange);
        String since = ExecutionDocuments.iso(java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        ObjectNode body = JSON.createObjectNode();
        int total = 0;
        for (String status : List.of("RUNNING", ExecutionStore.WAITING, "SUCCEEDED", "FAILED")) {
            int n = store.countSince(status, since);
            body.put(status.toLowerCase(Locale.ROOT), n);
            total += n;
        }
        body.put("accepted", total);
        body.put("since", since);
        inviteLink.describe(body);
        JsonAnswers.answer(exchange, 200, Json.write(body));
    }

    public void redrive(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "POST");
        authorize(exchange);
        Execution execution = stored(exchange);
        if (execution.status() != ExecutionStatus.FAILED) {
            throw new SignupRejected(409, "only a FAILED execution can be redriven; this one is "
                    + execution.status());
        }
        if (!store.isCurrent(execution.executionId())) {
            throw new SignupRejected(409, "a newer sign-up with this e-mail has replaced this execution");
        }
        if (!runner.redrive(execution)) {
            throw new SignupRejected(409, "the execution changed meanwhile; look at it again");
        }
        answerWithStatus(exchange, 202, execution.executionId(), ExecutionStatus.RUNNING.name());
    }

    /** The answer to a change of an execution: its id, its status now, where to follow it (also as Location). */
    private static void answerWithStatus(Exchange exchange, int code, String executionId, String status) {
        ObjectNode body = JSON.createObjectNode();
        body.put("executionId", executionId);
        body.put("status", status);
        body.put("statusUrl", "/signup/" + executionId);
        JsonAnswers.answer(exchange, code, Json.write(body));
        exchange.getMessage().setHeader("Location", "/signup/" + executionId);
    }

    /** The stored execution the path's {@code executionId} names; 404 when there is none. */
    private Execution stored(Exchange exchange) {
        String id = exchange.getIn().getHeader("executionId", "", String.class);
        Optional<Execution> found = ExecutionPages.isExecutionId(id) ? store.find(id) : Optional.empty();
        return found.orElseThrow(() -> new SignupRejected(404, "no execution has this id"));
    }

    /** A listing's status: one of the executions', or WAITING (RUNNING ones that wait for an organiser). */
    private static String status(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String status = text.strip().toUpperCase(Locale.ROOT);
        if (status.equals(ExecutionStore.WAITING)) {
            return status;
        }
        try {
            return ExecutionStatus.valueOf(status).name();
        } catch (IllegalArgumentException e) {
            throw new SignupRejected(400, "status must be RUNNING, WAITING, SUCCEEDED or FAILED");
        }
    }

    /** {@code POST /executions/{id}/approve}: an organiser lets a waiting invite go out. */
    public void approve(Exchange exchange) {
        answer(exchange, "approve");
    }

    /** {@code POST /executions/{id}/reject}: an organiser turns a waiting invite down; nothing goes to the person. */
    public void reject(Exchange exchange) {
        answer(exchange, "reject");
    }

    private void answer(Exchange exchange, String answer) {
        SignupRejected.requireMethod(exchange, "POST");
        authorize(exchange);
        Execution execution = stored(exchange);
        if (stepsRun(execution)) {
            // its invite may wait already (its page says so) while its other steps run: stored as waiting once they
            // end, which is usually moments away
            execution = runner.storedAfterItsRun(execution.executionId(), STEPS_WAIT).orElse(execution);
            if (stepsRun(execution)) {
                throw new SignupRejected(409, "this execution's steps are still running; answer again once they "
                        + "have ended");
            }
        }
        if (!execution.isWaiting()) {
            throw new SignupRejected(409, "this execution does not wait for an organiser's answer (it is "
                    + execution.status() + ")");
        }
        if (!runner.answer(execution, answer)) {
            throw new SignupRejected(409, "the execution changed meanwhile (another answer came first); look at it again");
        }
        answerWithStatus(exchange, answer.equals("approve") ? 202 : 200, execution.executionId(),
                execution.status().name());
    }

    /**
     * {@code POST /members/forget} with {@code {"email": …}}: an organiser erases a person from the service's tables
     * (a person's request to be forgotten, or a bot that got through). Deletes the person's executions here; the
     * route then deletes the member's item through its {@code aws2-ddb:} endpoint. The address goes in the body,
     * never in a URL (which proxies log). {@code 409} while the person's sign-up runs: its steps would write it again.
     */
    public void forget(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "POST");
        authorize(exchange);
        String email = email(jsonBody(exchange));
        ExecutionStore.Forgotten forgotten = store.forget(email);
        if (forgotten.running()) {
            throw new SignupRejected(409, "this person's sign-up is running; forget them once it has ended (its steps "
                    + "would write them again)");
        }
        exchange.setProperty("forgetEmail", email);
        exchange.setProperty("forgottenExecutions", forgotten.executions());
    }

    /** The query that finds the forgotten person's contact in ActiveCampaign ({@code ?email=…}). */
    public void contactQuery(Exchange exchange) {
        exchange.getIn().setHeader(Exchange.HTTP_QUERY, "email="
                + URLEncoder.encode(exchange.getProperty("forgetEmail", String.class), StandardCharsets.UTF_8));
    }

    /** {@code GET /members}, every member as CSV ({@link MembersExport}): for the holders of the operator token. */
    public void export(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "GET");
        authorize(exchange);
    }

    /** The key of the member's item for the route's DeleteItem, whose answer gives back what it deleted. */
    public void memberKey(Exchange exchange) {
        exchange.getIn().setHeader(Ddb2Constants.KEY,
                Map.of("email", AttributeValue.fromS(exchange.getProperty("forgetEmail", String.class))));
        exchange.getIn().setHeader(Ddb2Constants.RETURN_VALUES, "ALL_OLD");
    }

    /** What was forgotten, said without the address (the log keeps no trace of whom). */
    public void forgotten(Exchange exchange) {
        Map<?, ?> member = exchange.getIn().getHeader(Ddb2Constants.ATTRIBUTES, Map.class);
        boolean wasMember = member != null && !member.isEmpty();
        int executions = exchange.getProperty("forgottenExecutions", Integer.class);
        String contact = exchange.getProperty("contactForgotten", String.class);
        LOG.info("An organiser had a person forgotten: {} member record, {} execution(s){}", wasMember ? "their" : "no",
                executions, contact == null ? "" : "; their ActiveCampaign contact: " + contact);
        ObjectNode body = JSON.createObjectNode();
        body.put("email", exchange.getProperty("forgetEmail", String.class));
        body.put("member", wasMember);
        body.put("executions", executions);
        if (contact != null) {
            body.put("activecampaign", contact);
        }
        body.put("elsewhere", "what the other steps sent elsewhere stays there: the Slack invite or account, the "
                + "organisers' notices" + (contact == null ? ", the ActiveCampaign contact" : "") + "; remove them there");
        JsonAnswers.answer(exchange, 200, Json.write(body));
    }

    /** An operator request's JSON body ({@code 415} for anything else, {@code 400} for what does not parse). */
    private static JsonNode jsonBody(Exchange exchange) {
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new SignupRejected(415, "send {\"email\": …} as application/json");
        }
        try {
            return JSON.readTree(exchange.getIn().getBody(byte[].class));
        } catch (IOException | RuntimeException e) {
            throw new SignupRejected(400, "the request body is not valid JSON");
        }
    }

    /** The body's {@code email}, normalised as a sign-up's is; {@code 400} for what no sign-up could have given. */
    private static String email(JsonNode request) {
        JsonNode email = request == null ? null : request.path("email");
        String address = email != null && email.isTextual() ? SignupValidation.normalizedEmail(email.asText()) : "";
        String problem = SignupValidation.emailProblem(address);
        if (problem != null) {
            throw new SignupRejected(400, "the address is not one a sign-up could have given",
                    Map.of("email", problem));
        }
        return address;
    }

    /** Stored as running, not as waiting: its steps run (here or on another instance). */
    private static boolean stepsRun(Execution execution) {
        return !execution.isWaiting() && execution.status() == ExecutionStatus.RUNNING;
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new SignupRejected(400, "limit must be a number from 1 to " + MAX_LIMIT);
    }
}
