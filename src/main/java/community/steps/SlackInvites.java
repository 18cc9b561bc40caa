package community.steps;

import org.apache.camel.Exchange;

import community.execution.Execution;
import community.signup.SignupRequest;

/**
 * The form of InviteSlack's {@code users.admin.invite}: the token in the body (never in a URL). The route
 * (invite-slack.camel.yaml) sends it and sorts Slack's answer.
 */
public class SlackInvites {

    private final String token;
    private final String channels;

    public SlackInvites(String token, String channels) {
        this.token = token;
        this.channels = channels;
    }

    public boolean configured() {
        return token != null && !token.isBlank();
    }

    public String form(Exchange exchange) {
        SignupRequest input = exchange.getProperty("execution", Execution.class).input();
        return new FormBody().add("token", token).add("email", input.email())
                .add("first_name", input.firstName()).add("last_name", input.lastName()).add("set_active", "true")
                .add("channels", channels == null || channels.isBlank() ? null : channels.replace(" ", ""))
                .toString();
    }
}
