package community.web;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

import community.execution.Execution;
import community.execution.ExecutionDocuments;
import community.execution.Json;

/** Sets a JSON answer on an exchange that came in over HTTP. */
final class JsonAnswers {

    private static final ObjectMapper JSON = Json.PLAIN;

    private JsonAnswers() {
    }

    static void answer(Exchange exchange, int status, String json) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        // the answers quote what visitors typed: no browser may read them as anything but JSON
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        SignupPage.cacheControl(exchange, "no-store");
        exchange.getMessage().setBody(json);
    }

    static void execution(Exchange exchange, int status, Execution execution, boolean withHistory) {
        answer(exchange, status, ExecutionDocuments.toJsonString(execution, withHistory));
    }

    static String error(String message, Map<String, String> fields) {
        ObjectNode error = JSON.createObjectNode();
        error.put("error", message);
        if (fields != null && !fields.isEmpty()) {
            ObjectNode f = error.putObject("fields");
            fields.forEach(f::put);
        }
        return Json.write(error);
    }
}
