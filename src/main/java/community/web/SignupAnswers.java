package community.web;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import community.execution.Execution;
import community.execution.ExecutionStore;
import community.execution.Json;
import community.execution.RequestWaits;

/**
 * Answers {@code POST /signup} once the execution is stored: {@code 202} with where to follow it, {@code 200} with
 * the execution this e-mail already had, {@code 303} to the status page for a browser's form post, and with
 * {@code ?wait=true} the finished execution, waiting for it without holding a thread.
 */
public class SignupAnswers extends AsyncProcessorSupport {

    private static final ObjectMapper JSON = Json.PLAIN;

    /** Where a browser's form post of an address that has already signed up is sent: a page saying so. */
    public static final String ALREADY_SIGNED_UP_PAGE = "/signup/already-signed-up";

    private final Duration waitTimeout;
    private final AlreadySignedUp repeat;
    private final RequestWaits waits;

    public SignupAnswers(Duration waitTimeout, AlreadySignedUp repeat, RequestWaits waits) {
        this.waitTimeout = waitTimeout;
        this.repeat = repeat;
        this.waits = waits;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ExecutionStore.Start start = exchange.getIn().getBody(ExecutionStore.Start.class);
        Execution execution = start.execution();
        if (isBrowserFormPost(exchange)) {
            seeOther(exchange, start.created() ? statusUrl(execution) : ALREADY_SIGNED_UP_PAGE);
            callback.done(true);
            return true;
        }
        if (!start.created()) {
            // Whoever types an address is not thereby its owner: nothing of the stored record (names, execution id,
            // steps) goes to them. The id is the owner's capability to their status and history. What they get is what
            // any sign-up gets: the workspace's sign-in page, and in link mode the invite link.
            ObjectNode body = JSON.createObjectNode();
            body.put("status", "ALREADY_SIGNED_UP");
            if (!repeat.signInUrl().isEmpty()) {
                body.put("signInUrl", repeat.signInUrl());
            }
            if (!repeat.inviteUrl().isEmpty()) {
                body.put("inviteUrl", repeat.inviteUrl());
            }
            JsonAnswers.answer(exchange, 200, Json.write(body));
            callback.done(true);
            return true;
        }
        CompletableFuture<?> done = exchange.getProperty("completion", CompletableFuture.class);
        if (!"true".equalsIgnoreCase(exchange.getIn().getHeader("wait", String.class)) || done == null
                || !waits.tryHold()) {
            accepted(exchange, execution);
            callback.done(true);
            return true;
        }
        done.copy().orTimeout(waitTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((finished, error) -> {
            waits.release();
            if (error == null) {
                JsonAnswers.execution(exchange, 200, execution, false);
            } else {
                accepted(exchange, execution);
            }
            callback.done(false);
        });
        return false;
    }

    static void seeOther(Exchange exchange, String location) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        exchange.getMessage().setHeader("Location", location);
        exchange.getMessage().setBody("");
    }

    static void accepted(Exchange exchange, Execution execution) {
        ObjectNode body = JSON.createObjectNode();
        body.put("executionId", execution.executionId());
        body.put("status", execution.status().name());
        body.put("statusUrl", statusUrl(execution));
        JsonAnswers.answer(exchange, 202, Json.write(body));
        exchange.getMessage().setHeader("Location", statusUrl(execution));
    }

    static String statusUrl(Execution execution) {
        return "/signup/" + execution.executionId();
    }

    static boolean isBrowserFormPost(Exchange exchange) {
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, "", String.class)
                .toLowerCase(Locale.ROOT);
        String accept = exchange.getIn().getHeader("Accept", "", String.class).toLowerCase(Locale.ROOT);
        return contentType.startsWith("application/x-www-form-urlencoded") && accept.contains("text/html");
    }
}
