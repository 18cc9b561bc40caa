package community.steps;

import static community.web.ExecutionPages.escape;

import org.apache.camel.Exchange;

import community.execution.Execution;
import community.signup.SignupRequest;

/**
 * The e-mail that hands a person the workspace's invite link (InviteSlack in link mode, when SIGNUP_MAIL_URL is
 * set), in the page's words: HTML, with the plain text as its alternative. It holds that person's first name and
 * the link, nothing else of anyone's. The route sets the addresses and the subject and sends it (camel-mail).
 */
public class InviteMails {

    private final String title;

    public InviteMails(String title) {
        this.title = title;
    }

    /** The HTML body; the plain text goes in the header camel-mail sends as its alternative. */
    public String linkMail(Exchange exchange) {
        SignupRequest input = exchange.getProperty("execution", Execution.class).input();
        String link = exchange.getProperty("inviteUrl", String.class);
        String hello = input.firstName().isBlank() ? "Hello," : "Hello " + input.firstName() + ",";
        String text = hello + "\n\nThank you for signing up to " + title + ". You are in! Join our Slack workspace with "
                + "this invite link:\n\n" + link + "\n\nIf you did not sign up, you can ignore this e-mail.\n";
        exchange.getIn().setHeader("CamelMailAlternativeBody", text);
        return "<!doctype html><html><body><p>" + escape(hello) + "</p><p>Thank you for signing up to " + escape(title)
                + ". You are in! Join our Slack workspace with this invite link:</p><p><a href=\"" + escape(link) + "\">"
                + escape(link.replaceFirst("^https://", "")) + "</a></p><p>If you did not sign up, you can ignore this "
                + "e-mail.</p></body></html>";
    }
}
