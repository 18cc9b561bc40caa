package community.steps;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;

import community.execution.Execution;
import community.signup.SignupRequest;

/**
 * The InviteSlack step's protocol: {@code users.admin.invite} with the token in the form body (never in a URL),
 * and Slack's answers sorted as DESIGN.md says. A repeat sign-up is not a failure: {@code already_invited} and
 * {@code already_in_team} count as success.
 */
public class SlackInvites {

    private static final Set<String> ALREADY = Set.of("already_invited", "already_in_team");

    private final String token;
    private final String channels;

    public SlackInvites(String token, String channels) {
        this.token = token;
        this.channels = channels;
    }

    public boolean configured() {
        return token != null && !token.isBlank();
    }

    public void request(Exchange exchange) {
        SignupRequest input = exchange.getProperty("execution", Execution.class).input();
        OutboundHeaders.clear(exchange.getIn());
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=utf-8");
        exchange.getIn().setBody(new FormBody().add("token", token).add("email", input.email())
                .add("first_name", input.firstName()).add("last_name", input.lastName()).add("set_active", "true")
                .add("channels", channels == null || channels.isBlank() ? null : channels.replace(" ", ""))
                .toString());
    }

    public void answer(Exchange exchange) {
        UpstreamAnswer answer = UpstreamAnswer.of(exchange);
        if (answer.status() == 429) {
            throw new StepFailure("RateLimited", "Slack answered HTTP 429 (rate limited)", true,
                    answer.retryAfterMillis());
        }
        if (answer.isServerError()) {
            throw StepFailure.retry("ServerError", "Slack answered HTTP " + answer.status() + ": " + answer.quoted());
        }
        JsonNode json = answer.json();
        if (answer.status() != 200 || json == null) {
            throw StepFailure.fail("UnexpectedAnswer",
                    "Slack answered HTTP " + answer.status() + ": " + answer.quoted());
        }
        if (json.path("ok").asBoolean(false)) {
            exchange.setProperty("detail", "invited");
            return;
        }
        String error = StepFailure.codeFromAnswer(json.path("error").asText("unknown_error"));
        if (ALREADY.contains(error)) {
            exchange.setProperty("detail", error);
        } else if ("ratelimited".equals(error)) {
            throw new StepFailure("RateLimited", "Slack answered ratelimited", true, answer.retryAfterMillis());
        } else {
            throw StepFailure.fail(error, error.equals("UnexpectedAnswer")
                    ? "Slack answered an error that is not a short code: " + answer.quoted()
                    : "Slack answered " + error);
        }
    }

}
