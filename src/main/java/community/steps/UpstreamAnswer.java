package community.steps;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;

/** An HTTP answer from Slack or ActiveCampaign, with the parts a step's failure quotes and waits for. */
record UpstreamAnswer(String body, Long retryAfterMillis) {

    private static final int MAX_QUOTED = 300;

    static UpstreamAnswer of(Exchange exchange) {
        String body = exchange.getIn().getBody(String.class);
        return new UpstreamAnswer(body == null ? "" : body,
                retryAfter(exchange.getIn().getHeader("Retry-After", String.class)));
    }

    /** The body, shortened and on one line, to quote in a cause. */
    String quoted() {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > MAX_QUOTED ? oneLine.substring(0, MAX_QUOTED) + "…" : oneLine;
    }

    /** Retry-After is either seconds or an HTTP date. */
    static Long retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            // an answer is untrusted: a huge number of seconds would overflow into a negative wait (none at all)
            return Math.min(Math.max(0, Long.parseLong(value.trim())), TimeUnit.DAYS.toSeconds(1)) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
