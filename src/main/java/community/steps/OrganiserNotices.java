package community.steps;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import community.execution.Execution;
import community.execution.Json;
import community.execution.StepStatus;
import community.signup.SignupRequest;

/**
 * NotifyOrganisers' message to a Slack incoming webhook, naming the person and the address. A name is the
 * visitor's own text, put before the organisers (who hold the dashboard's keys): Slack reads {@code <...>} as a
 * link or a mention, so it is escaped the way Slack's formatting rules say (&amp;, &lt;, &gt;); and Slack makes a
 * bare address into a link and fetches it to unfurl it, so the message is one {@code verbatim} section (Slack
 * links nothing in it but our own {@code <url|label>}) and unfurls nothing. {@code text} is the notification's.
 * <p>
 * A sign-up that ended FAILED is told to the same channel (notify-failure), so that organisers hear of it without
 * watching the dashboard: the original's pain was a FAILED nobody saw, and then no word of why.
 */
public class OrganiserNotices {

    private static final Logger LOG = LoggerFactory.getLogger(OrganiserNotices.class);
    private static final ObjectMapper JSON = Json.PLAIN;

    private final boolean approval;
    private final String dashboard;
    private final long maxRetryAfterMillis;

    /**
     * @param approval whether invites wait for an organiser (SIGNUP_APPROVAL): the notice then says so
     * @param publicUrl the service's address as organisers reach it (SIGNUP_PUBLIC_URL, an http(s) URL, checked at
     *        start), for a link to the dashboard; empty, the notice names the dashboard's path
     * @param maxRetryAfterMillis the longest Retry-After a failure notice waits for (signup.retry-after-max)
     */
    public OrganiserNotices(boolean approval, String publicUrl, long maxRetryAfterMillis) {
        this.approval = approval;
        this.maxRetryAfterMillis = maxRetryAfterMillis;
        // the pages are served from the root of the service's origin, so the dashboard is that origin's /admin, whatever
        // path the address was given with (the dashboard's own address, pasted as it is, had made /admin/admin)
        this.dashboard = publicUrl == null || publicUrl.isBlank() ? null
                : URI.create(publicUrl.strip()).resolve("/admin").toString();
    }

    public String message(Exchange exchange) throws JsonProcessingException {
        String text = "New sign-up: " + who(exchange);
        if (approval) {
            text += ". The invite waits for an organiser's approval: "
                    + dashboard("approve or reject it on the dashboard");
        }
        return post(text);
    }

    /** Words of the service's own for the organisers (the invite link's check), as a message. */
    public String notice(String text) throws JsonProcessingException {
        return post(slack(text));
    }

    /** A sign-up that FAILED: each failed step's cause (which names the step, its attempts and the upstream's words). */
    public String failure(Exchange exchange) throws JsonProcessingException {
        StringBuilder text = new StringBuilder("Sign-up failed: ").append(who(exchange));
        List<String> errors = new ArrayList<>();
        execution(exchange).results().forEach((step, result) -> {
            if (result.status() == StepStatus.FAILED) {
                errors.add(result.error());
                text.append("\n• ").append(slack(result.cause() == null ? step + ": " + result.error() : result.cause()));
            }
        });
        // an invite request that waited unanswered has no cause to put right: a redrive asks for an answer again
        boolean expired = !errors.isEmpty() && errors.stream().allMatch("Expired"::equals);
        return post(text.append(expired ? "\nTo invite them after all, " : "\nOnce the cause is put right, ")
                .append(dashboard("redrive it on the dashboard")).append(expired && approval ? ", then approve it." : ".")
                .toString());
    }

    /**
     * The failure notice's retry-while: a failure worth another try (429, 5xx, a timeout, a connection error) while
     * CamelRedeliveryMaxCounter allows, after the webhook's Retry-After when it sent one.
     */
    public boolean retryable(Exchange exchange) {
        StepFailure failure = whyNotTaken(exchange);
        int failed = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        int retries = exchange.getIn().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class);
        if (!failure.retryable() || failed > retries) {
            return false;
        }
        if (failure.retryAfterMillis() != null) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.min(failure.retryAfterMillis(), maxRetryAfterMillis));
        }
        return true;
    }

    /** The webhook did not take a failure notice: the log says so, by its code (the answer is the upstream's). */
    public void notTold(Exchange exchange) {
        try (MDC.MDCCloseable id = MDC.putCloseable("executionId", execution(exchange).executionId())) {
            LOG.warn("The organisers were not told that execution {} FAILED ({} from their webhook); the dashboard "
                    + "shows it", execution(exchange).executionId(), whyNotTaken(exchange).error());
        }
    }

    private static StepFailure whyNotTaken(Exchange exchange) {
        return Failures.classify(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class),
                exchange.getProperty("timeout", 0L, Long.class), exchange);
    }

    private static Execution execution(Exchange exchange) {
        return exchange.getProperty("execution", Execution.class);
    }

    /** The person as the visitor typed them, and the address. */
    private static String who(Exchange exchange) {
        SignupRequest input = execution(exchange).input();
        String name = (input.firstName() + " " + input.lastName()).strip();
        return (name.isEmpty() ? "" : slack(name) + " ") + "(" + slack(input.email()) + ")";
    }

    private String dashboard(String words) {
        return dashboard == null ? words + " (/admin)" : "<" + dashboard + "|" + words + ">";
    }

    private static String post(String text) throws JsonProcessingException {
        Map<String, Object> section = Map.of("type", "section",
                "text", Map.of("type", "mrkdwn", "text", text, "verbatim", true));
        return JSON.writeValueAsString(Map.of("text", text, "blocks", List.of(section), "unfurl_links", false,
                "unfurl_media", false));
    }

    static String slack(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
