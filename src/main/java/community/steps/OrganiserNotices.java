package community.steps;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

import community.execution.Execution;
import community.execution.Json;
import community.signup.SignupRequest;

/**
 * NotifyOrganisers' message to a Slack incoming webhook: {@code {"text": ...}} naming the person and the address.
 * A name is the visitor's own text, and Slack reads {@code <...>} in a message as a link or a mention: it is
 * escaped the way Slack's formatting rules say (&amp;, &lt;, &gt;), so no one can put a link or an @channel into
 * the organisers' channel by signing up with it as their name. A bare address in a name is still shown as a link,
 * but not unfurled: Slack would fetch it, telling its owner when the organisers read the notice.
 */
public class OrganiserNotices {

    private static final ObjectMapper JSON = Json.PLAIN;

    private final boolean approval;
    private final String dashboard;

    /**
     * @param approval whether invites wait for an organiser (SIGNUP_APPROVAL): the notice then says so
     * @param publicUrl the service's address as organisers reach it (SIGNUP_PUBLIC_URL), for a link to the
     *        dashboard; empty, the notice names the dashboard's path
     */
    public OrganiserNotices(boolean approval, String publicUrl) {
        this.approval = approval;
        this.dashboard = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "") + "/admin";
    }

    public String message(Exchange exchange) throws JsonProcessingException {
        SignupRequest input = exchange.getProperty("execution", Execution.class).input();
        String name = (input.firstName() + " " + input.lastName()).strip();
        String text = "New sign-up: " + (name.isEmpty() ? "" : slack(name) + " ") + "(" + slack(input.email()) + ")";
        if (approval) {
            text += ". The invite waits for an organiser's approval: "
                    + (dashboard == null ? "approve or reject it on the dashboard (/admin)"
                            : "<" + dashboard + "|approve or reject it on the dashboard>");
        }
        return JSON.writeValueAsString(Map.of("text", text, "unfurl_links", false, "unfurl_media", false));
    }

    static String slack(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
