package community.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

import community.execution.Execution;
import community.signup.SignupRequest;

/**
 * The RecordAC step's protocol. API v3 (the default): {@code POST /api/3/contact/sync} with the key in the
 * {@code Api-Token} header, then, when a list is configured, {@code POST /api/3/contactLists}. The legacy v1:
 * {@code contact_sync} on {@code /admin/api.php}, the key in the form body. Both upsert by e-mail, so an attempt
 * can be repeated safely.
 */
public class ActiveCampaignContacts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final String listId;

    public ActiveCampaignContacts(String apiKey, String listId) {
        this.apiKey = apiKey;
        this.listId = listId;
    }

    public boolean configured(String url) {
        return apiKey != null && !apiKey.isBlank() && url != null && !url.isBlank();
    }

    public boolean subscribesToList() {
        return listId != null && !listId.isBlank();
    }

    public void contactSync(Exchange exchange) {
        SignupRequest input = input(exchange);
        ObjectNode body = JSON.createObjectNode();
        ObjectNode contact = body.putObject("contact");
        contact.put("email", input.email());
        contact.put("firstName", input.firstName());
        contact.put("lastName", input.lastName());
        jsonRequest(exchange, "/api/3/contact/sync", body);
    }

    public void contactSyncAnswer(Exchange exchange) {
        JsonNode json = v3Answer(exchange, "contact/sync");
        exchange.setProperty("contactId", json.path("contact").path("id").asText(null));
        exchange.setProperty("detail", "synced");
    }

    public void listSubscription(Exchange exchange) {
        String contactId = exchange.getProperty("contactId", String.class);
        if (contactId == null) {
            throw StepFailure.fail("UnexpectedAnswer", "ActiveCampaign's contact/sync answer had no contact id");
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode contactList = body.putObject("contactList");
        contactList.put("list", listId);
        contactList.put("contact", contactId);
        contactList.put("status", 1);
        jsonRequest(exchange, "/api/3/contactLists", body);
    }

    public void listSubscriptionAnswer(Exchange exchange) {
        v3Answer(exchange, "contactLists");
        exchange.setProperty("detail", "synced, subscribed to list " + listId);
    }

    public void v1ContactSync(Exchange exchange) {
        SignupRequest input = input(exchange);
        OutboundHeaders.clear(exchange.getIn());
        exchange.getIn().setHeader(Exchange.HTTP_PATH, "/admin/api.php");
        exchange.getIn().setHeader(Exchange.HTTP_QUERY, "api_action=contact_sync&api_output=json");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=utf-8");
        FormBody form = new FormBody().add("api_key", apiKey).add("email", input.email())
                .add("first_name", input.firstName()).add("last_name", input.lastName());
        if (subscribesToList()) {
            form.add("p[" + listId + "]", listId).add("status[" + listId + "]", "1");
        }
        exchange.getIn().setBody(form.toString());
    }

    public void v1ContactSyncAnswer(Exchange exchange) {
        UpstreamAnswer answer = UpstreamAnswer.of(exchange);
        retryOnOverload(answer);
        JsonNode json = answer.json();
        if (answer.status() != 200 || json == null) {
            throw StepFailure.fail("UnexpectedAnswer",
                    "ActiveCampaign answered HTTP " + answer.status() + ": " + answer.quoted());
        }
        if (json.path("result_code").asInt(0) != 1) {
            throw StepFailure.fail("Rejected", "ActiveCampaign answered result_code 0: "
                    + json.path("result_message").asText(answer.quoted()));
        }
        exchange.setProperty("detail", "synced");
    }

    private JsonNode v3Answer(Exchange exchange, String call) {
        UpstreamAnswer answer = UpstreamAnswer.of(exchange);
        retryOnOverload(answer);
        if (answer.status() == 401 || answer.status() == 403) {
            throw StepFailure.fail("Unauthorized", "ActiveCampaign refused the API key on " + call + " (HTTP "
                    + answer.status() + "): " + answer.quoted());
        }
        if (answer.status() == 422) {
            throw StepFailure.fail("Invalid", "ActiveCampaign rejected the contact on " + call + " (HTTP 422): "
                    + answer.quoted());
        }
        JsonNode json = answer.json();
        if ((answer.status() != 200 && answer.status() != 201) || json == null) {
            throw StepFailure.fail("UnexpectedAnswer", "ActiveCampaign answered HTTP " + answer.status() + " on "
                    + call + ": " + answer.quoted());
        }
        return json;
    }

    private static void retryOnOverload(UpstreamAnswer answer) {
        if (answer.status() == 429) {
            throw new StepFailure("RateLimited", "ActiveCampaign answered HTTP 429 (rate limited)", true,
                    answer.retryAfterMillis());
        }
        if (answer.isServerError()) {
            throw StepFailure.retry("ServerError",
                    "ActiveCampaign answered HTTP " + answer.status() + ": " + answer.quoted());
        }
    }

    private void jsonRequest(Exchange exchange, String path, ObjectNode body) {
        OutboundHeaders.clear(exchange.getIn());
        exchange.getIn().setHeader(Exchange.HTTP_PATH, path);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setHeader("Api-Token", apiKey);
        exchange.getIn().setBody(body.toString());
    }

    private static SignupRequest input(Exchange exchange) {
        return exchange.getProperty("execution", Execution.class).input();
    }

}
