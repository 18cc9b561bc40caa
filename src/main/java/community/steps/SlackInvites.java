package community.steps;

import org.apache.camel.Exchange;

import community.execution.Execution;
import community.signup.SignupRequest;

/**
 * The forms of InviteSlack's calls (invite-slack.camel.yaml sends them and sorts Slack's answers):
 * {@code users.admin.invite} (legacy mode) with the token in the body, never in a URL; {@code admin.users.invite}
 * (admin mode), whose token goes in the Authorization header the route sets.
 */
public class SlackInvites {

    private final String token;
    private final String teamId;
    private final String channels;

    public SlackInvites(String token, String teamId, String channels) {
        this.token = token;
        this.teamId = teamId;
        this.channels = channels == null || channels.isBlank() ? null : channels.replace(" ", "");
    }

    public String form(Exchange exchange) {
        SignupRequest input = exchange.getProperty("execution", Execution.class).input();
        return new FormBody().add("token", token).add("email", input.email())
                .add("first_name", input.firstName()).add("last_name", input.lastName()).add("set_active", "true")
                .add("channels", channels).toString();
    }

    public String adminForm(Exchange exchange) {
        SignupRequest input = exchange.getProperty("execution", Execution.class).input();
        String realName = (input.firstName() + " " + input.lastName()).strip();
        return new FormBody().add("team_id", teamId).add("email", input.email()).add("channel_ids", channels)
                .add("real_name", realName.isEmpty() ? null : realName).toString();
    }
}
