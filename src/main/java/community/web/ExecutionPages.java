package community.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;

import community.execution.Execution;
import community.execution.ExecutionRunner;
import community.execution.StepResult;
import community.signup.SignupRejected;

/**
 * {@code GET /signup/{executionId}}: the execution document, or for a browser, a page that shows the steps and
 * refreshes itself until the execution ends (the landing page of a form posted without JavaScript).
 */
public class ExecutionPages {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final ExecutionRunner runner;

    public ExecutionPages(ExecutionRunner runner) {
        this.runner = runner;
    }

    public void status(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "GET", "HEAD");
        String id = exchange.getIn().getHeader("executionId", "", String.class);
        Optional<Execution> execution = isExecutionId(id) ? runner.find(id) : Optional.empty();
        if (execution.isEmpty()) {
            throw new SignupRejected(404, "no execution has this id");
        }
        String accept = exchange.getIn().getHeader("Accept", "", String.class).toLowerCase(Locale.ROOT);
        if (accept.contains("text/html")) {
            html(exchange, execution.get());
        } else {
            boolean history = "true".equalsIgnoreCase(exchange.getIn().getHeader("history", String.class));
            JsonAnswers.execution(exchange, 200, execution.get(), history);
        }
    }

    /** Execution ids are random UUIDs, written in lower case; anything else is not looked up. */
    static boolean isExecutionId(String id) {
        return UUID.matcher(id).matches();
    }

    private static void html(Exchange exchange, Execution execution) {
        StringBuilder page = new StringBuilder(2048);
        page.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        if (!execution.isFinished()) {
            page.append("<meta http-equiv=\"refresh\" content=\"2\">");
        }
        page.append("<link rel=\"stylesheet\" href=\"/assets/theme.css\">")
                .append("<link rel=\"stylesheet\" href=\"/assets/signup.css\">");
        page.append("<title>Sign-up ").append(execution.status().name().toLowerCase(Locale.ROOT))
                .append("</title></head><body><main><h1>Your sign-up</h1><section id=\"progress\">")
                .append("<p>Signing up <strong>").append(escape(execution.input().email())).append("</strong> (")
                .append(escape((execution.input().firstName() + " " + execution.input().lastName()).strip()))
                .append("): <strong id=\"status\">").append(execution.status().name()).append("</strong></p><ol>");
        execution.results().forEach((step, r) -> page.append("<li><span>").append(step).append(describe(r))
                .append("</span> <span class=\"badge ").append(r.status()).append("\">")
                .append(r.status().name().toLowerCase(Locale.ROOT)).append("</span></li>"));
        page.append("</ol><p class=\"small\">Reference: ").append(execution.executionId())
                .append("</p></section></main></body></html>");
        SignupPage.answer(exchange, "text/html; charset=utf-8", page.toString());
        SignupPage.cacheControl(exchange, "no-store");
    }

    private static String describe(StepResult r) {
        return r.cause() == null ? "" : " (" + escape(r.cause()) + ")";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
