package community.steps;

import org.apache.camel.Message;

/**
 * Starts each outbound request with no headers but the error handler's own: otherwise the previous answer's
 * headers would go out with the next request, and clearing those too would reset the redelivery count.
 */
final class OutboundHeaders {

    private OutboundHeaders() {
    }

    static void clear(Message message) {
        message.removeHeaders("*", "CamelRedelivered", "CamelRedeliveryCounter", "CamelRedeliveryMaxCounter");
    }
}
