package community.web;

import java.util.Map;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import community.execution.Execution;
import community.execution.SignupMetrics;
import community.signup.SignupRejected;
import community.signup.SignupRequests;

/**
 * Turns what went wrong with a request into DESIGN.md's JSON error (a page in words for a browser's form post),
 * never a stack trace.
 */
public class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private final SignupMetrics metrics;
    private final Decoys decoys;
    private final ExecutionPages pages;

    public HttpErrors(SignupMetrics metrics, Decoys decoys, ExecutionPages pages) {
        this.metrics = metrics;
        this.decoys = decoys;
        this.pages = pages;
    }

    /** The error as JSON, or as a page in words for the form's own post without JavaScript. */
    private void answer(Exchange exchange, int status, String message, Map<String, String> fields) {
        if ("signup-api".equals(exchange.getFromRouteId()) && SignupAnswers.isBrowserFormPost(exchange)) {
            pages.refused(exchange, status, message, fields);
        } else {
            JsonAnswers.answer(exchange, status, JsonAnswers.error(message, fields));
        }
    }

    public void rejected(Exchange exchange) {
        SignupRejected rejected = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SignupRejected.class);
        metrics.rejected(rejected.status());
        answer(exchange, rejected.status(), rejected.getMessage(), rejected.fields());
        if (rejected.allowed() != null) {
            exchange.getMessage().setHeader("Allow", rejected.allowed());
        }
        if (rejected.retryAfterSeconds() > 0) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(rejected.retryAfterSeconds()));
        }
    }

    /** DynamoDB did not answer: nothing was stored (or read), so the client should try again, not give up. */
    public void storeUnavailable(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        metrics.rejected(503);
        LOG.warn("Request {} {} failed: DynamoDB did not answer: {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                exchange.getIn().getHeader(Exchange.HTTP_PATH), caught.getMessage());
        answer(exchange, 503, "signup-api".equals(exchange.getFromRouteId())
                ? "the sign-up could not be stored right now; please try again in a minute"
                : "the service's store did not answer; please try again in a minute", null);
        exchange.getMessage().setHeader("Retry-After", "30");
    }

    /**
     * A bot filled in the hidden field: answered as a new sign-up is (a {@code 303} to its status page for a
     * browser's form post), with a decoy execution that nothing stores or runs.
     */
    public void honeypot(Exchange exchange) {
        metrics.rejected(299);
        Execution decoy = decoys.make(exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                SignupRequests.HoneypotFilled.class).request());
        if (SignupAnswers.isBrowserFormPost(exchange)) {
            SignupAnswers.seeOther(exchange, SignupAnswers.statusUrl(decoy));
        } else {
            SignupAnswers.accepted(exchange, decoy);
        }
    }

    public void unexpected(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("Request {} {} failed", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                exchange.getIn().getHeader(Exchange.HTTP_PATH), caught);
        answer(exchange, 500, "the service could not handle the request; it has been logged", null);
    }
}
