package community.steps;

import static community.web.ExecutionPages.escape;

import org.apache.camel.Exchange;

/**
 * The e-mail that hands a person the workspace's invite link (InviteSlack in link mode, when SIGNUP_MAIL_URL is
 * set), in the page's words: HTML, with the plain text as its alternative. It holds the workspace's name and the
 * link, and nothing the visitor typed: whoever fills in the form chooses the address it goes to, and a name in the
 * greeting let anyone have the community's mail server carry their text ("Hello [a link, an offer]") to any
 * address. The route sets the addresses and the subject and sends it (camel-mail).
 */
public class InviteMails {

    private final String title;

    public InviteMails(String title) {
        this.title = title;
    }

    /** The HTML body; the plain text goes in the header camel-mail sends as its alternative. */
    public String linkMail(Exchange exchange) {
        String link = exchange.getProperty("inviteUrl", String.class);
        String hello = "Hello,";
        String text = hello + "\n\nThank you for signing up to " + title + ". You are in! Join our Slack workspace with "
                + "this invite link:\n\n" + link + "\n\nIf you did not sign up, you can ignore this e-mail.\n";
        exchange.getIn().setHeader("CamelMailAlternativeBody", text);
        return "<!doctype html><html><body><p>" + escape(hello) + "</p><p>Thank you for signing up to " + escape(title)
                + ". You are in! Join our Slack workspace with this invite link:</p><p><a href=\"" + escape(link) + "\">"
                + escape(link.replaceFirst("^https://", "")) + "</a></p><p>If you did not sign up, you can ignore this "
                + "e-mail.</p></body></html>";
    }
}
