package community.web;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import community.execution.SignupMetrics;
import community.signup.SignupRejected;

/** Turns what went wrong with a request into DESIGN.md's JSON error, never a stack trace. */
public class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private final SignupMetrics metrics;

    public HttpErrors(SignupMetrics metrics) {
        this.metrics = metrics;
    }

    public void rejected(Exchange exchange) {
        SignupRejected rejected = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SignupRejected.class);
        metrics.rejected(rejected.status());
        JsonAnswers.answer(exchange, rejected.status(), JsonAnswers.error(rejected.getMessage(), rejected.fields()));
        if (rejected.allowed() != null) {
            exchange.getMessage().setHeader("Allow", rejected.allowed());
        }
        if (rejected.retryAfterSeconds() > 0) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(rejected.retryAfterSeconds()));
        }
    }

    /** DynamoDB did not answer: nothing was stored, so the client should try again, not give up. */
    public void storeUnavailable(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        metrics.rejected(503);
        LOG.warn("Request {} {} failed: DynamoDB did not answer: {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                exchange.getIn().getHeader(Exchange.HTTP_PATH), caught.getMessage());
        JsonAnswers.answer(exchange, 503,
                JsonAnswers.error("the sign-up could not be stored right now; please try again in a minute", null));
        exchange.getMessage().setHeader("Retry-After", "30");
    }

    /** A bot filled in the hidden field: answered like a success, with nothing stored or sent. */
    public void honeypot(Exchange exchange) {
        metrics.rejected(299);
        String id = java.util.UUID.randomUUID().toString();
        JsonAnswers.answer(exchange, 202, "{\"executionId\":\"" + id + "\",\"status\":\"RUNNING\",\"statusUrl\":\"/signup/"
                + id + "\"}");
        exchange.getMessage().setHeader("Location", "/signup/" + id);
    }

    public void unexpected(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("Request {} {} failed", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                exchange.getIn().getHeader(Exchange.HTTP_PATH), caught);
        JsonAnswers.answer(exchange, 500,
                JsonAnswers.error("the service could not handle the request; it has been logged", null));
    }
}
