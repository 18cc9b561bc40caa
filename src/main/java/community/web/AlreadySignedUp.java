package community.web;

/**
 * What a person is told when their address has signed up before ({@code ALREADY_SIGNED_UP}), in the same words by
 * the page and the page without JavaScript. Nothing of the stored record: the words follow the invite mode, which
 * is the same for everyone. In link mode (without approval) the answer to the sign-up's post also carries the
 * shared invite link, which any sign-up is handed: someone who closed the page before following it, with no e-mail
 * to look for, could otherwise never get it again. Only that answer carries it, behind the rate limit, the honeypot
 * and the CAPTCHA every sign-up passes: never a page anyone can fetch.
 *
 * @param words the sentence, ending in a space before {@code link}, or in a full stop when there is none
 * @param link the link that ends the sentence (the workspace's sign-in page), or empty
 * @param inviteWords the sentence before the invite link, when the answer carries one
 * @param inviteUrl the shared invite link handed in the answer to a repeat (link mode, no approval), or empty
 * @param signInUrl the workspace's sign-in page, {@code https://{org}.slack.com}, or empty
 */
public record AlreadySignedUp(String words, String link, String inviteWords, String inviteUrl, String signInUrl) {

    private static final String ALREADY = "This address has already signed up";

    /**
     * @param inviteMode InviteSlack's mode: legacy, admin, link or none
     * @param approval whether an organiser approves each invite first (SIGNUP_APPROVAL)
     * @param mail whether the invite link goes by e-mail too (SIGNUP_MAIL_URL)
     * @param inviteUrl the workspace's shared invite link (SLACK_INVITE_URL), or empty
     * @param slackOrganization the workspace's subdomain (SLACK_ORGANIZATION), or empty
     */
    public static AlreadySignedUp of(String inviteMode, boolean approval, boolean mail, String inviteUrl,
            String slackOrganization) {
        String signIn = slackOrganization == null || slackOrganization.isBlank() ? ""
                : "https://" + slackOrganization.strip() + ".slack.com";
        boolean link = inviteMode.equals("link");
        String words = approval ? ALREADY + ": an organiser looks at each request, and the invite comes by e-mail"
                : link && mail ? ALREADY + ": look for the e-mail with the invite link in its inbox"
                : link || inviteMode.equals("none") ? ALREADY : ALREADY + ": look for the invite in its inbox";
        String ending = approval ? "; members sign in at " : words.equals(ALREADY) ? ": sign in at " : ", or sign in at ";
        return new AlreadySignedUp(words + (signIn.isEmpty() ? "." : ending), signIn,
                link && !approval ? ALREADY + ". Join our Slack workspace with this invite link: " : "",
                link && !approval ? inviteUrl : "", signIn);
    }
}
