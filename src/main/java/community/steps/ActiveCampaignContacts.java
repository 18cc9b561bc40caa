package community.steps;

import java.util.Map;

import org.apache.camel.Exchange;

import community.execution.Execution;
import community.signup.SignupRequest;

/**
 * The bodies of RecordAC's requests; the route (record-ac.camel.yaml) sends them and sorts the answers. API v3
 * (the default): {@code contact/sync}, then, when a list is configured, {@code contactLists}, as maps the route
 * marshals to JSON. The legacy v1: {@code contact_sync}'s form, the key in it.
 */
public class ActiveCampaignContacts {

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

    public Map<String, Object> contact(Exchange exchange) {
        SignupRequest input = input(exchange);
        return Map.of("contact",
                Map.of("email", input.email(), "firstName", input.firstName(), "lastName", input.lastName()));
    }

    /** After contact/sync: its answer gave the route the contact's id. */
    public Map<String, Object> listSubscription(Exchange exchange) {
        return Map.of("contactList",
                Map.of("list", listId, "contact", exchange.getProperty("contactId", String.class), "status", 1));
    }

    public String v1Form(Exchange exchange) {
        SignupRequest input = input(exchange);
        FormBody form = new FormBody().add("api_key", apiKey).add("email", input.email())
                .add("first_name", input.firstName()).add("last_name", input.lastName());
        if (subscribesToList()) {
            form.add("p[" + listId + "]", listId).add("status[" + listId + "]", "1");
        }
        return form.toString();
    }

    private static SignupRequest input(Exchange exchange) {
        return exchange.getProperty("execution", Execution.class).input();
    }
}
