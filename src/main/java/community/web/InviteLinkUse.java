package community.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import community.execution.ExecutionStore;

/**
 * How long the shared invite link (link mode) has been handed out here, and to how many sign-ups at most, for the
 * dashboard. Slack's link stops working 30 days after it was made unless it was made to never expire, and once 400
 * people have joined by it; nothing told the organisers before visitors met a dead link on a page that said
 * SUCCEEDED. When the service first ran with the link is kept in the executions table, keyed by a hash of the link
 * (the link itself is never stored or logged), so that restarts and other instances keep the same date, and a new
 * link starts afresh; so is when the organisers' channel was told to check it, so that it is told once.
 */
public class InviteLinkUse {

    private static final Logger LOG = LoggerFactory.getLogger(InviteLinkUse.class);
    /** Slack's limits on one shared invite link. */
    static final int MAX_JOINS = 400;
    static final int EXPIRY_DAYS = 30;
    /** Past either, the dashboard asks the organisers to check the link. */
    private static final int CHECK_JOINS = 350;
    private static final int CHECK_DAYS = 25;

    private final ExecutionStore store;
    private final Clock clock;
    /** Null outside link mode. */
    private final String key;
    private volatile String since;

    public InviteLinkUse(ExecutionStore store, Clock clock, String inviteMode, String inviteUrl) {
        this.store = store;
        this.clock = clock;
        this.key = inviteMode.equals("link") ? "invite-link:" + sha256(inviteUrl).substring(0, 32) : null;
    }

    /**
     * Keeps when the service first ran with this link, and says it in the log: a warning from the dashboard's red
     * line on (the organisers who read the log but never the dashboard learn of it too, at each start). A store that
     * does not answer now is asked later.
     */
    public void start() {
        if (key == null) {
            return;
        }
        try {
            // one write gives both dates: since when the link is in use, and when the channel was told of it
            ExecutionStore.Use use = store.use(key);
            String first = use.firstUsedAt();
            since = first;
            int signups = signups(first);
            long days = days(first);
            if (check(signups, days)) {
                LOG.warn("{}", checkWords(signups, first, days) + (use.toldAt() == null ? ""
                        : " (the organisers' channel was told on " + use.toldAt() + ")"));
            } else {
                LOG.info("The Slack invite link has been handed to {} sign-up(s) here since {} ({} day(s)); Slack "
                        + "stops a link after {} people have joined by it, and after {} days unless it was made to "
                        + "never expire", signups, first, days, MAX_JOINS, EXPIRY_DAYS);
            }
        } catch (SdkException e) {
            LOG.warn("Could not read since when the Slack invite link is in use: {}", e.getMessage());
        }
    }

    /**
     * What the organisers' channel is told once the link nears Slack's limits, until it has been told (two instances
     * asking in the same moment may both tell it; a lost notice would be worse); else null. Asked every
     * {@code slack.invite-link-check-interval} (invite-link-check).
     */
    public String dueNotice() {
        ExecutionStore.Use use = key == null ? null : store.use(key);
        if (use == null || use.toldAt() != null) {
            return null;
        }
        String first = use.firstUsedAt();
        int signups = signups(first);
        long days = days(first);
        return check(signups, days) ? checkWords(signups, first, days) : null;
    }

    /** The organisers' channel took the notice: it is not sent again for this link. */
    public void told() {
        store.told(key);
    }

    private static String checkWords(int signups, String first, long days) {
        return "Check the Slack invite link (SLACK_INVITE_URL): it has been handed to " + signups + " sign-up(s) since "
                + first + " (" + days + " days). Slack stops a link once " + MAX_JOINS + " people have joined by it, "
                + "and " + EXPIRY_DAYS + " days after it was made unless it was made to never expire: then make a new "
                + "one and set SLACK_INVITE_URL";
    }

    /** The link's use, into the dashboard's counts: since when, to how many sign-ups at most, whether to check it. */
    void describe(ObjectNode counts) {
        if (key == null) {
            return;
        }
        String first = since();
        int signups = signups(first);
        long days = days(first);
        ObjectNode link = counts.putObject("inviteLink");
        link.put("since", first);
        link.put("days", days);
        link.put("signups", signups);
        link.put("maxJoins", MAX_JOINS);
        link.put("expiryDays", EXPIRY_DAYS);
        link.put("check", check(signups, days));
    }

    /** The sign-ups since that may have been handed the link: not those waiting for an organiser's approval. */
    private int signups(String since) {
        int signups = 0;
        for (String status : List.of("RUNNING", "SUCCEEDED", "FAILED")) {
            signups += store.countSince(status, since);
        }
        return signups;
    }

    private static boolean check(int signups, long days) {
        return signups >= CHECK_JOINS || days >= CHECK_DAYS;
    }

    private String since() {
        String first = since;
        if (first == null) {
            first = store.firstUse(key);
            since = first;
        }
        return first;
    }

    private long days(String first) {
        return Duration.between(Instant.parse(first), clock.instant()).toDays();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
