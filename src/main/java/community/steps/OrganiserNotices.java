package community.steps;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

import community.execution.Execution;
import community.execution.Json;
import community.signup.SignupRequest;

/**
 * NotifyOrganisers' message to a Slack incoming webhook, naming the person and the address. A name is the
 * visitor's own text, put before the organisers (who hold the dashboard's keys): Slack reads {@code <...>} as a
 * link or a mention, so it is escaped the way Slack's formatting rules say (&amp;, &lt;, &gt;); and Slack makes a
 * bare address into a link and fetches it to unfurl it, so the message is one {@code verbatim} section (Slack
 * links nothing in it but our own {@code <url|label>}) and unfurls nothing. {@code text} is the notification's.
 */
public class OrganiserNotices {

    private static final ObjectMapper JSON = Json.PLAIN;

    private final boolean approval;
    private final String dashboard;

    /**
     * @param approval whether invites wait for an organiser (SIGNUP_APPROVAL): the notice then says so
     * @param publicUrl the service's address as organisers reach it (SIGNUP_PUBLIC_URL, an http(s) URL, checked at
     *        start), for a link to the dashboard; empty, the notice names the dashboard's path
     */
    public OrganiserNotices(boolean approval, String publicUrl) {
        this.approval = approval;
        // the pages are served from the root of the service's origin, so the dashboard is that origin's /admin, whatever
        // path the address was given with (the dashboard's own address, pasted as it is, had made /admin/admin)
        this.dashboard = publicUrl == null || publicUrl.isBlank() ? null
                : URI.create(publicUrl.strip()).resolve("/admin").toString();
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
        Map<String, Object> section = Map.of("type", "section",
                "text", Map.of("type", "mrkdwn", "text", text, "verbatim", true));
        return JSON.writeValueAsString(Map.of("text", text, "blocks", List.of(section), "unfurl_links", false,
                "unfurl_media", false));
    }

    static String slack(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
