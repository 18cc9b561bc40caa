package community.web;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;

import community.execution.Execution;
import community.execution.ExecutionRunner;
import community.execution.ExecutionStatus;
import community.execution.Step;
import community.execution.Steps;
import community.execution.StepResult;
import community.execution.StepStatus;
import community.signup.SignupRejected;

/**
 * {@code GET /signup/{executionId}}: the execution document, or for a browser, a page that shows the steps and
 * refreshes itself until the execution ends (the landing page of a form posted without JavaScript).
 */
public class ExecutionPages {

    /** The form's fields as its labels name them. */
    private static final Map<String, String> FIELD_LABELS = Map.of("email", "E-mail", "name", "Your name",
            "first_name", "First name", "last_name", "Last name", "coc", "Code of conduct", "captcha", "CAPTCHA");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final ExecutionRunner runner;
    private final Steps steps;
    private final AlreadySignedUp repeat;
    private final Decoys decoys;
    private final String csp;
    private final String afterFailure;

    /** @param afterFailure what follows "Sorry, something went wrong while …" ({@link SignupPage#promise}) */
    public ExecutionPages(ExecutionRunner runner, Steps steps, AlreadySignedUp repeat, Decoys decoys, String csp,
            String afterFailure) {
        this.csp = csp;
        this.afterFailure = afterFailure;
        this.runner = runner;
        this.steps = steps;
        this.repeat = repeat;
        this.decoys = decoys;
    }

    public void status(Exchange exchange) {
        SignupRejected.requireMethod(exchange, "GET", "HEAD");
        String id = exchange.getIn().getHeader("executionId", "", String.class);
        if (SignupAnswers.ALREADY_SIGNED_UP_PAGE.equals("/signup/" + id)) {
            alreadySignedUp(exchange);
            return;
        }
        Optional<Execution> execution = isExecutionId(id) ? runner.find(id).or(() -> decoys.find(id))
                : Optional.empty();
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

    private void html(Exchange exchange, Execution execution) {
        StringBuilder progress = new StringBuilder(1024).append("<p>Signing up <strong>")
                .append(escape(execution.input().email())).append("</strong> (")
                .append(escape((execution.input().firstName() + " " + execution.input().lastName()).strip()))
                .append("): <strong id=\"status\">").append(forVisitor(execution).name()).append("</strong></p><ol>");
        execution.results().forEach((name, r) -> {
            Step step = steps.step(name);
            if (step.shown()) {
                progress.append("<li><span>").append(escape(step.label())).append("</span> <span class=\"badge ")
                        .append(r.status()).append("\">").append(badge(r)).append("</span></li>");
            }
        });
        progress.append("</ol>");
        boolean refresh = forVisitor(execution) == ExecutionStatus.RUNNING && !onlyWaiting(execution);
        status(exchange, "Sign-up " + forVisitor(execution).name().toLowerCase(Locale.ROOT), refresh,
                progress.toString(), outcome(execution),
                "<p class=\"small\">Reference: " + execution.executionId() + "</p>");
    }

    /** Where a browser's form post lands when its address has signed up before: no one's record, only words. */
    private void alreadySignedUp(Exchange exchange) {
        status(exchange, "Already signed up", false, "", alreadySignedUpWords(), "");
    }

    private void status(Exchange exchange, String title, boolean refresh, String progress, String outcome,
            String reference) {
        SignupPage.answer(exchange, "text/html; charset=utf-8", SignupPage.fill("status.html", Map.of(
                "titleText", title, "refresh", refresh ? "<meta http-equiv=\"refresh\" content=\"2\">" : "",
                "progress", progress, "outcome", outcome, "reference", reference)));
        exchange.getMessage().setHeader("Content-Security-Policy", csp);
        SignupPage.cacheControl(exchange, "no-store");
    }

    /**
     * A browser's form post that was refused (the page posts without JavaScript, and its {@code novalidate} form
     * sends what the visitor typed as it is): the reasons in words and the way back to the form, where the JSON
     * error was shown raw. The answer keeps the error's status.
     */
    void refused(Exchange exchange, int code, String message, Map<String, String> fields) {
        boolean byField = fields != null && !fields.isEmpty();
        StringBuilder reasons = new StringBuilder("<p>We could not take your sign-up")
                .append(byField ? ". Please put this right on the form, then send it again:"
                        : ": " + escape(message) + (message.matches(".*[.!?]$") ? "" : "."))
                .append("</p>");
        if (byField) {
            reasons.append("<ul id=\"fields\">");
            fields.forEach((field, why) -> reasons.append("<li>")
                    .append(escape(FIELD_LABELS.getOrDefault(field, field))).append(": ").append(escape(why))
                    .append("</li>"));
            reasons.append("</ul>");
        }
        status(exchange, "Sign-up not taken", false, reasons.toString(), "<a href=\"/\">Back to the form</a>", "");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
    }

    /** The words the sign-up page's script uses for {@code ALREADY_SIGNED_UP}. */
    private String alreadySignedUpWords() {
        return escape(repeat.words()) + (repeat.link().isEmpty() ? "" : link(repeat.link()) + ".");
    }

    private String signInLink() {
        return link(repeat.signInUrl());
    }

    private static String link(String url) {
        return "<a href=\"" + escape(url) + "\">" + escape(url.replaceFirst("^https://", "")) + "</a>";
    }

    private static String badge(StepResult r) {
        return retrying(r) ? "retrying" : r.status().name().toLowerCase(Locale.ROOT);
    }

    /** A step still running after an attempt failed: it is waiting to try again, or trying again. */
    private static boolean retrying(StepResult r) {
        return r.status() == StepStatus.RUNNING && r.error() != null;
    }

    /**
     * What happened, in the words the sign-up page's script uses (each step's from its route); the ids are the
     * execution's own (UUIDs). What went through for the visitor comes first, whatever the rest did: in link mode the
     * invite link is the only way in, and a visitor whose mailing-list step failed, or was still being retried, had
     * read only that something went wrong (or that they could leave the page) and never saw the link.
     */
    private String outcome(Execution execution) {
        Map<String, StepResult> results = execution.results();
        String handed = handed(results);
        return switch (forVisitor(execution)) {
            case SUCCEEDED -> handed.isEmpty() ? "You are signed up. We will be in touch." : handed;
            case FAILED -> then(handed, "Sorry, something went wrong while " + results.entrySet().stream()
                    .filter(e -> failedForVisitor(e.getKey(), e.getValue()))
                    .map(e -> escape(lowerFirst(steps.step(e.getKey()).label()))).collect(Collectors.joining(" and "))
                    + ". " + escape(afterFailure.replace("{reference}", execution.executionId())));
            default -> then(handed, onlyWaiting(execution)
                    ? "Thank you! An organiser will look at your request; you will get an e-mail."
                    : results.entrySet().stream()
                            .anyMatch(e -> steps.step(e.getKey()).shown() && retrying(e.getValue()))
                    ? "Still trying: one of the services is slow to answer. "
                            + "You can leave this page; we will keep going."
                    : handed.isEmpty() ? "Working on it…" : "Working on the rest…");
        };
    }

    /** What the steps that went through tell the visitor (an invite's words, the link to follow), or nothing. */
    private String handed(Map<String, StepResult> results) {
        String signIn = repeat.signInUrl().isEmpty() ? "" : signInLink();
        if (hasDetail(results, "already_invited")) {
            return "You were already invited: look for the earlier invite in your inbox"
                    + (signIn.isEmpty() ? "." : ", or sign in at " + signIn + ".");
        } else if (hasDetail(results, "already_in_team")) {
            return "You are already a member" + (signIn.isEmpty() ? "." : ": sign in at " + signIn + ".");
        }
        String done = results.entrySet().stream().filter(e -> e.getValue().status() == StepStatus.SUCCEEDED)
                .map(e -> steps.step(e.getKey()).doneWords()).filter(words -> !words.isEmpty())
                .map(ExecutionPages::escape).collect(Collectors.joining(" "));
        // a step that hands over a link (InviteSlack in link mode): its words, then the link
        String invite = results.values().stream().filter(r -> r.status() == StepStatus.SUCCEEDED)
                .map(StepResult::inviteUrl).filter(url -> url != null).findFirst().orElse(null);
        return invite == null ? done : (done + " " + link(invite) + ".").strip();
    }

    private static String then(String handed, String rest) {
        return handed.isEmpty() ? rest : handed + " " + rest;
    }

    /**
     * The execution's status as it concerns the visitor, from the steps their pages show: one that FAILED, or still
     * runs, only in steps the pages leave out (the organisers' notice, which after a burst of sign-ups queues behind
     * its webhook's limit of one a second, or is retried) has done all it does for them.
     */
    private ExecutionStatus forVisitor(Execution execution) {
        if (execution.results().entrySet().stream()
                .anyMatch(e -> steps.step(e.getKey()).shown() && !e.getValue().status().isFinal())) {
            return ExecutionStatus.RUNNING;
        }
        return execution.results().entrySet().stream().anyMatch(e -> failedForVisitor(e.getKey(), e.getValue()))
                ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
    }

    private boolean failedForVisitor(String step, StepResult result) {
        return result.status() == StepStatus.FAILED && steps.step(step).shown();
    }

    /** A step waits for an organiser (it may take days) and nothing else is left to do for the visitor. */
    private boolean onlyWaiting(Execution execution) {
        return execution.isWaiting() && execution.results().entrySet().stream()
                .noneMatch(e -> steps.step(e.getKey()).shown() && (e.getValue().status() == StepStatus.RUNNING
                        || e.getValue().status() == StepStatus.PENDING));
    }

    private static boolean hasDetail(Map<String, StepResult> results, String detail) {
        return results.values().stream().anyMatch(r -> detail.equals(r.detail()));
    }

    private static String lowerFirst(String words) {
        return Character.toLowerCase(words.charAt(0)) + words.substring(1);
    }

    /** Text made safe inside HTML, attributes included. */
    public static String escape(String text) {
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
