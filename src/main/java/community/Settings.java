package community;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.util.IOHelper;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import community.signup.CaptchaCheck;
import community.signup.ClientAddresses;
import community.web.SignupPage;

/**
 * The service's settings: DESIGN.md's table and the tunables of {@code application.properties}. Each is a
 * property ({@code slack.admin-token}) that an environment variable ({@code SLACK_ADMIN_TOKEN}) overrides, or a
 * line of the git-ignored env file beside the jar ({@code signup.env}, the original's {@code env.yml}).
 * Invalid values stop the start with one line naming the setting, and the effective configuration is logged
 * with its secrets masked.
 */
public final class Settings {

    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

    /** The settings an operator may give, in the order the start-up log shows them. */
    static final List<String> KNOWN = List.of("signup.port", "dynamodb.endpoint", "aws.region", "dynamodb.table",
            "dynamodb.executions-table", "slack.admin-token", "slack.organization", "slack.api-url", "slack.channels",
            "slack.invite-mode", "slack.team-id", "slack.invite-url", "slack.notify-webhook-url", "slack.notify-failures",
            "slack.invite-link-check-interval",
            "signup.mail-url", "signup.mail-username", "signup.mail-password", "signup.mail-from",
            "signup.approval", "signup.approval-timeout", "signup.public-url",
            "activecampaign.url", "activecampaign.api-key", "activecampaign.api", "activecampaign.list-id",
            "signup.admin-token", "signup.cors-origins", "signup.rate-limit", "signup.trusted-proxies",
            "activecampaign.rate-limit", "slack.rate-limit", "slack.notify-rate-limit", "signup.routes-reload",
            "signup.routes-directory",
            "signup.wait-timeout",
            "signup.max-waits",
            "signup.lease-duration", "signup.recovery-interval", "signup.shutdown-timeout", "signup.instance-id",
            "signup.data-dir", "signup.dynalite-home", "signup.dynamodb.create-tables", "signup.retry-after-max",
            "signup.http.max-connections", "signup.http.event-loops", "signup.http.worker-threads",
            "signup.http.max-requests", "signup.max-running", "signup.max-waiting", "signup.admission-timeout",
            "signup.lookup-threads", "signup.lookup-queue", "signup.title", "signup.accent",
            "signup.coc-url", "signup.privacy-url", "signup.badge-cache",
            "signup.captcha", "signup.captcha-site-key", "signup.captcha-secret", "signup.captcha-verify-url",
            "slack.retries", "slack.retry-delay", "slack.retry-max-delay", "slack.timeout",
            "activecampaign.retries", "activecampaign.retry-delay", "activecampaign.retry-max-delay",
            "activecampaign.timeout",
            "dynamodb.retries", "dynamodb.retry-delay", "dynamodb.retry-max-delay", "dynamodb.timeout");

    static final List<String> SECRETS = List.of("slack.admin-token", "activecampaign.api-key",
            "signup.admin-token", "signup.captcha-secret", "slack.notify-webhook-url", "signup.mail-password");
    /** Not secrets, but not for the log either: anyone holding the shared invite link can join the workspace. */
    private static final List<String> NOT_LOGGED = List.of("slack.invite-url");

    /**
     * Read before the env file is, so that they cannot be set there: the launcher's (the JVM's options, its class
     * archive) and the log's format (the log has begun by then).
     */
    private static final List<String> ENVIRONMENT_ONLY = List.of("SIGNUP_JAVA_OPTS", "SIGNUP_CLASS_ARCHIVE",
            "SIGNUP_LOG_FORMAT");

    /** The operator token's least length: a shorter one could be guessed. */
    static final int MIN_ADMIN_TOKEN = 32;
    /** The login part of a URL, {@code user:password@} after the scheme. */
    private static final Pattern LOGIN = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");
    /** A Slack id: a channel's (C..., G...), a workspace's (T...). Names are lower case, ids never are. */
    private static final Pattern SLACK_ID = Pattern.compile("[A-Z][A-Z0-9]{2,}");
    /** A workspace's subdomain: letters, digits and hyphens (Slack's own rule for workspace URLs). */
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private Settings() {
    }

    /** A setting's environment variable: {@code slack.admin-token} is {@code SLACK_ADMIN_TOKEN}. */
    static String variable(String key) {
        // the same naming Camel uses when it looks a property up in the environment
        return IOHelper.normalizeEnvironmentVariable(key);
    }

    /**
     * Reads {@code KEY=VALUE} lines of the env file, for the settings the real environment does not set (it wins);
     * a setting given as nothing, in either, is one not set.
     * Returns them as properties.
     */
    static Map<String, String> fromEnvFile(Path file, Map<String, String> environment) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return properties;
        }
        warnIfOthersMayRead(file);
        readEnvFile(file).forEach((key, value) -> {
            // NAME= leaves the setting unset, and so does a variable of the real environment set to nothing
            String real = environment.get(variable(key));
            if (!value.isBlank() && (real == null || real.isBlank())) {
                properties.put(key, value);
            }
        });
        LOG.info("Read {} setting(s) from {}: {}", properties.size(), file, properties.keySet());
        return properties;
    }

    /** An env file's {@code KEY=VALUE} lines, by setting; a line that is not one of ours stops the start. */
    static Map<String, String> readEnvFile(Path file) {
        return readEnvFile(file, false);
    }

    /** With {@code commentedOut}, a comment that is a setting's line ({@code # SLACK_TEAM_ID=T0123456789}) is one. */
    private static Map<String, String> readEnvFile(Path file, boolean commentedOut) {
        Map<String, String> byVariable = new LinkedHashMap<>();
        KNOWN.forEach(key -> byVariable.put(variable(key), key));
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            // Java's own words were "Input length = 1"
            throw new InvalidSetting(file + " is not UTF-8 text: save it as UTF-8");
        } catch (IOException e) {
            throw new InvalidSetting("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            // a byte-order mark, which some Windows editors write first, is no part of the first name
            String line = (i == 0 ? lines.get(i).replaceFirst("^\uFEFF", "") : lines.get(i)).strip();
            if (commentedOut && line.matches("#\\s*[A-Z][A-Z0-9_]*=.*")
                    && byVariable.containsKey(line.replaceFirst("^#\\s*", "").replaceFirst("=.*", ""))) {
                line = line.replaceFirst("^#\\s*", "");
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq).strip();
            if (name.startsWith("export ")) {
                name = name.substring("export ".length()).strip();
            }
            String key = byVariable.get(name);
            if (eq >= 0 && ENVIRONMENT_ONLY.contains(name)) {
                throw new InvalidSetting(file + " line " + (i + 1) + ": " + name + " is read before "
                        + file.getFileName() + " is (by the launcher, or as the log begins): set it in the environment");
            }
            if (eq < 0 || key == null) {
                throw new InvalidSetting(file + " line " + (i + 1) + ": " + (eq < 0 ? "expected NAME=value"
                        : name + " is not a setting of this service"));
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            settings.put(key, value);
        }
        return settings;
    }

    /**
     * A copy of the example env file started as it is would run on its made-up values: visitors handed an invite
     * link that leads nowhere, every contact sent to an account that does not exist. Each value still equal to the
     * example's (when the example is beside the service) stops the start, naming the setting.
     */
    static void refuseExampleValues(CamelContext context, Path example) {
        Map<String, String> placeholders;
        try {
            // its commented-out lines too: one uncommented as it is runs on a made-up value all the same
            placeholders = Files.isRegularFile(example) ? readEnvFile(example, true) : Map.of();
        } catch (InvalidSetting edited) {
            // an example someone has made their own is no reason to stop: it is not read as settings
            return;
        }
        placeholders.forEach((key, placeholder) -> {
            if (!placeholder.isBlank() && value(context, key).equals(placeholder)) {
                throw new InvalidSetting(variable(key) + " (" + key + ") is still the placeholder of "
                        + example.getFileName() + ": set your own value, or leave the setting out");
            }
        });
    }

    /**
     * The env file holds the secrets: readable by the machine's other users, it hands them out (a copy of the
     * example file is, as git checks files out). A warning, not a refusal, so that a first start still works.
     */
    private static void warnIfOthersMayRead(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("{} holds secrets and other users of this machine may read it; make it yours only: "
                        + "chmod 600 {}", file, file);
            }
        } catch (UnsupportedOperationException | IOException notPosix) {
            // no owner-only permissions to check on this file system
        }
    }

    /**
     * Stops the start on the first invalid setting, naming it; then logs what is in effect. Returns how InviteSlack
     * invites, worked out on the way.
     */
    static SlackInviteMode validateAndLog(CamelContext context) {
        refuseExampleValues(context, Path.of("signup.env.example"));
        for (String url : List.of("dynamodb.endpoint", "slack.api-url", "activecampaign.url", "signup.coc-url",
                "signup.privacy-url", "signup.captcha-verify-url", "slack.invite-url", "slack.notify-webhook-url",
                "signup.public-url")) {
            String value = value(context, url);
            if (hasLogin(value)) {
                throw invalid(url, value, "must not hold a user name or password (user:password@): "
                        + "nothing in it is kept secret");
            }
            if (!value.isEmpty() && !isHttpUrl(value)) {
                throw invalid(url, value, "is not an http(s) URL");
            }
        }
        // a secret goes with every request to these (a token, a key, the webhook's own address): over http:// it
        // crossed the network for anyone on the way to read, where a server on this machine is no one else's wire
        for (String url : List.of("slack.api-url", "activecampaign.url", "slack.notify-webhook-url",
                "signup.captcha-verify-url")) {
            String value = value(context, url);
            if (value.startsWith("http://") && !isThisMachine(URI.create(value).getHost())) {
                throw invalid(url, value, "must be an https:// address: a secret goes with each request to it "
                        + "(http:// only for a server on this machine)");
            }
        }
        String inviteUrl = value(context, "slack.invite-url");
        if (!inviteUrl.isEmpty() && !inviteUrl.startsWith("https://")) {
            throw invalid("slack.invite-url", inviteUrl,
                    "must be the workspace's shared invite link, an https:// address (https://join.slack.com/t/...)");
        }
        SlackInviteMode invites = slackInviteMode(context);
        String mailUrl = value(context, "signup.mail-url");
        boolean approval = "true".equalsIgnoreCase(value(context, "signup.approval"));
        if (approval && invites.mode().equals("link")) {
            // after an approval in link mode, the link can reach the person only by e-mail
            require(!mailUrl.isEmpty(), "signup.mail-url",
                    "is needed with SIGNUP_APPROVAL=true in link mode: the approved person gets the link by e-mail");
        }
        if (approval && !invites.mode().equals("none")) {
            // every invite would wait for an answer no one can give, and expire after SIGNUP_APPROVAL_TIMEOUT
            require(!value(context, "signup.admin-token").isEmpty(), "signup.admin-token",
                    "is needed with SIGNUP_APPROVAL=true: organisers approve each invite on the dashboard or through "
                            + "the operator API, which are off without it");
        }
        if (!mailUrl.isEmpty()) {
            if (hasLogin(mailUrl)) {
                throw invalid("signup.mail-url", mailUrl, "must not hold the login: it goes in SIGNUP_MAIL_USERNAME "
                        + "and SIGNUP_MAIL_PASSWORD");
            }
            if (!mailUrl.matches("smtps?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw invalid("signup.mail-url", mailUrl, "must be smtp://host:port (STARTTLS) or smtps://host:port");
            }
            require(value(context, "signup.mail-from").contains("@"), "signup.mail-from",
                    "must be the address mail to the person comes from (SIGNUP_MAIL_URL is set)");
        }
        // exact addresses: a name or a range (10.0.0.0/8) matched no proxy, and all clients behind it counted as one
        for (String proxy : list(context, "signup.trusted-proxies")) {
            if (!ClientAddresses.isAddress(proxy)) {
                throw invalid("signup.trusted-proxies", proxy,
                        "is not an IP address (the proxies' own addresses, not names or ranges)");
            }
        }
        // Java's parseBoolean took yes or TRUE as false, where a route compares with 'true'
        for (String flag : List.of("signup.approval", "signup.routes-reload", "signup.dynamodb.create-tables",
                "slack.notify-failures")) {
            String value = value(context, flag);
            if (!value.isEmpty() && !value.equals("true") && !value.equals("false")) {
                throw invalid(flag, value, "must be true or false");
            }
        }
        // the page fell back to its own colour in silence
        String accent = value(context, "signup.accent");
        if (!accent.isEmpty() && !SignupPage.isColour(accent)) {
            throw invalid("signup.accent", accent, "must be a colour written #rrggbb (#4a154b)");
        }
        // the CAPTCHA is abuse protection: half of it was silently none (a widget whose tokens no one verified, or a
        // secret without the widget that makes tokens), while the organiser believed the form guarded
        boolean siteKey = !value(context, "signup.captcha-site-key").isEmpty();
        boolean secret = !value(context, "signup.captcha-secret").isEmpty();
        require(siteKey || !secret, "signup.captcha-site-key", "is needed with SIGNUP_CAPTCHA_SECRET: the page "
                + "shows the CAPTCHA with it");
        require(secret || !siteKey, "signup.captcha-secret", "is needed with SIGNUP_CAPTCHA_SITE_KEY: without it no "
                + "answer to the CAPTCHA is checked, and bots pass as if there were none");
        String captcha = value(context, "signup.captcha");
        if (!captcha.isEmpty() && !CaptchaCheck.isProvider(captcha)) {
            throw invalid("signup.captcha", captcha, "must be turnstile or hcaptcha");
        }
        for (String origin : list(context, "signup.cors-origins")) {
            if (!isOrigin(origin)) {
                throw invalid("signup.cors-origins", origin, "is not an origin like https://example.org");
            }
        }
        // it becomes https://{organization}.slack.com: anything but a subdomain would send the token elsewhere
        String organization = value(context, "slack.organization");
        if (!organization.isEmpty() && !SUBDOMAIN.matcher(organization).matches()) {
            throw invalid("slack.organization", organization,
                    "must be the workspace's subdomain (the your-workspace of your-workspace.slack.com)");
        }
        // names where Slack and ActiveCampaign take ids failed every sign-up's step, each with the upstream's words
        for (String channel : list(context, "slack.channels")) {
            if (!SLACK_ID.matcher(channel).matches()) {
                throw invalid("slack.channels", channel, "must be channel ids such as C0123456789, not names (a "
                        + "channel's id is at the bottom of its details in Slack)");
            }
        }
        String team = value(context, "slack.team-id");
        if (!team.isEmpty() && !SLACK_ID.matcher(team).matches()) {
            throw invalid("slack.team-id", team, "must be the workspace's id such as T0123456789, not its name");
        }
        String list = value(context, "activecampaign.list-id");
        if (!list.isEmpty() && !list.matches("[0-9]{1,18}")) {
            throw invalid("activecampaign.list-id", list, "must be the list's id, a number, not its name");
        }
        for (String count : List.of("signup.rate-limit", "activecampaign.rate-limit", "slack.rate-limit",
                "slack.notify-rate-limit",
                "slack.retries", "activecampaign.retries", "dynamodb.retries", "signup.lookup-queue")) {
            nonNegative(context, count);
        }
        for (String positive : List.of("signup.port", "signup.http.max-connections", "signup.http.event-loops",
                "signup.http.worker-threads", "signup.http.max-requests", "signup.max-waits", "signup.max-running",
                "signup.max-waiting", "signup.lookup-threads", "signup.shutdown-timeout")) {
            String value = value(context, positive);
            if (!value.isEmpty() && (parse(positive, value) < 1 || parse(positive, value) > 65535)) {
                throw invalid(positive, value, "must be a number from 1 to 65535");
            }
        }
        requireFreePort(value(context, "camel.server.host"), value(context, "camel.server.port"));
        // the routes read a duration as a number of milliseconds (camel-http's timeouts take nothing else): one
        // written 10s, as the README allows, stopped the start with a stack trace
        Map<String, String> inMillis = new LinkedHashMap<>();
        for (String duration : List.of("signup.wait-timeout", "signup.approval-timeout",
                "signup.admission-timeout",
                "signup.lease-duration", "signup.recovery-interval",
                "signup.retry-after-max", "slack.retry-delay", "slack.retry-max-delay", "slack.timeout",
                "activecampaign.retry-delay", "activecampaign.retry-max-delay", "activecampaign.timeout",
                "dynamodb.retry-delay", "dynamodb.retry-max-delay", "dynamodb.timeout",
                "slack.invite-link-check-interval")) {
            String value = value(context, duration);
            if (value.isEmpty()) {
                continue;
            }
            long millis;
            try {
                millis = TimeUtils.toMilliSeconds(value);
            } catch (RuntimeException e) {
                throw invalid(duration, value, "must be a duration (1500, 30s, 1m)");
            }
            if (millis <= 0) {
                throw invalid(duration, value, "must be a positive duration (1500, 30s, 1m)");
            }
            inMillis.put(duration, Long.toString(millis));
        }
        String adminToken = value(context, "signup.admin-token");
        if (!adminToken.isEmpty() && adminToken.length() < MIN_ADMIN_TOKEN) {
            throw invalid("signup.admin-token", adminToken, "must be at least " + MIN_ADMIN_TOKEN
                    + " characters (a random one: openssl rand -hex 24)");
        }
        String api = value(context, "activecampaign.api");
        if (!api.isEmpty() && !api.equals("v3") && !api.equals("v1")) {
            throw invalid("activecampaign.api", api, "must be v3 or v1");
        }
        StringJoiner effective = new StringJoiner(", ");
        for (String key : KNOWN) {
            String value = value(context, key);
            if (!value.isEmpty()) {
                effective.add(key + "=" + (SECRETS.contains(key) || NOT_LOGGED.contains(key) ? "****" : value));
            }
        }
        LOG.info("Configuration in effect: {}", effective);
        // half of ActiveCampaign's settings is an organiser's slip, not a choice: RecordAC is SKIPPED on every sign-up
        // (not configured, as DESIGN.md says, so the start goes on), which only a sign-up's document showed
        boolean acUrl = !value(context, "activecampaign.url").isEmpty();
        if (acUrl != !value(context, "activecampaign.api-key").isEmpty()) {
            LOG.warn("ActiveCampaign sync is off: {} is set but {} is not, so RecordAC is SKIPPED on every sign-up",
                    acUrl ? "ACTIVECAMPAIGN_URL" : "ACTIVECAMPAIGN_API_KEY",
                    acUrl ? "ACTIVECAMPAIGN_API_KEY" : "ACTIVECAMPAIGN_URL");
        }
        if (approval && invites.mode().equals("none")) {
            LOG.warn("SIGNUP_APPROVAL=true has nothing to approve: Slack invites are off ({}), so InviteSlack is "
                    + "SKIPPED on every sign-up", invites.why());
        }
        inMillis.forEach(context.getPropertiesComponent()::addOverrideProperty);
        return invites;
    }

    /**
     * The service runs from the folder holding application.properties and routes/: from anywhere else it would
     * start without its HTTP server or without its routes, answering nothing.
     */
    static void requireTheFolder(CamelContext context) {
        String hint = ": start the service from the folder that holds application.properties and routes/ "
                + "(bin/community-signup finds it from anywhere)";
        if (value(context, "camel.server.port").isEmpty()) {
            throw new InvalidSetting("there is no application.properties in " + Path.of("").toAbsolutePath() + hint);
        }
        Path routes = Path.of(value(context, "signup.routes-directory")).toAbsolutePath();
        try (Stream<Path> files = Files.list(routes)) {
            if (files.noneMatch(file -> file.getFileName().toString().endsWith(".camel.yaml"))) {
                throw new InvalidSetting("there are no routes (*.camel.yaml) in " + routes + hint);
            }
        } catch (IOException e) {
            throw new InvalidSetting("there are no routes in " + routes + " (" + e.getMessage() + ")" + hint);
        }
    }

    /**
     * The HTTP server's port must be free: Vert.x, finding it taken, logs so and the service would go on running,
     * answering nothing there (a second copy started by mistake, say).
     */
    private static void requireFreePort(String host, String port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(host.isEmpty() ? new InetSocketAddress(Integer.parseInt(port))
                    : new InetSocketAddress(host, Integer.parseInt(port)));
        } catch (IOException e) {
            throw invalid("signup.port", port, "cannot be listened on (" + e.getMessage()
                    + "; another program, or a copy of this service, may hold it)");
        }
    }

    private static void nonNegative(CamelContext context, String key) {
        String value = value(context, key);
        if (!value.isEmpty() && parse(key, value) < 0) {
            throw invalid(key, value, "must not be negative");
        }
    }

    private static long parse(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(key, value, "must be a whole number");
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A host name that never leaves this machine: {@code localhost}, {@code 127.x.x.x}, {@code [::1]}. */
    static boolean isThisMachine(String host) {
        return host.equalsIgnoreCase("localhost") || host.matches("127(\\.[0-9]{1,3}){3}|\\[::1]");
    }

    private static boolean isOrigin(String value) {
        if (!isHttpUrl(value)) {
            return false;
        }
        URI uri = URI.create(value);
        return uri.getRawPath().isEmpty() && uri.getRawQuery() == null && uri.getRawFragment() == null;
    }

    /** How InviteSlack invites, and why: DESIGN.md, Slack invites. */
    record SlackInviteMode(String mode, String why) {
    }

    /**
     * SLACK_INVITE_MODE when set, which must then have what it needs; else chosen from what is set: {@code admin}
     * with SLACK_TEAM_ID and SLACK_ADMIN_TOKEN, {@code legacy} with SLACK_ADMIN_TOKEN alone, {@code link} with
     * SLACK_INVITE_URL, else {@code none} (the step is SKIPPED).
     */
    static SlackInviteMode slackInviteMode(CamelContext context) {
        String chosen = value(context, "slack.invite-mode").toLowerCase(Locale.ROOT);
        String tokenValue = value(context, "slack.admin-token");
        boolean token = !tokenValue.isEmpty();
        boolean team = !value(context, "slack.team-id").isEmpty();
        boolean link = !value(context, "slack.invite-url").isEmpty();
        String mode = chosen;
        String why = "SLACK_INVITE_MODE=" + chosen;
        if (chosen.isEmpty()) {
            mode = token && team ? "admin" : token ? "legacy" : link ? "link" : "none";
            why = switch (mode) {
                case "admin" -> "SLACK_TEAM_ID and SLACK_ADMIN_TOKEN are set";
                case "legacy" -> "SLACK_ADMIN_TOKEN is set without SLACK_TEAM_ID";
                case "link" -> "SLACK_INVITE_URL is set without SLACK_ADMIN_TOKEN";
                default -> "none of SLACK_ADMIN_TOKEN, SLACK_INVITE_URL is set";
            };
        }
        // a Slack app's bot token (xoxb-) or app-level token (xapp-) is what a workspace set up today hands out, and
        // neither invite method takes one: the service started and failed every invite, its cause saying so only then
        String kind = tokenValue.startsWith("xoxb-") ? "a bot token (xoxb-...)"
                : tokenValue.startsWith("xapp-") ? "an app-level token (xapp-...)" : null;
        if (kind != null && (mode.equals("legacy") || mode.equals("admin"))) {
            throw new InvalidSetting("SLACK_ADMIN_TOKEN (slack.admin-token) is " + kind + ", which Slack takes for no "
                    + "invite (" + mode + " mode: " + why + "): users.admin.invite takes only a legacy token, "
                    + "admin.users.invite only an Enterprise Grid admin's user token (xoxp-...). On any other "
                    + "workspace, hand people its invite link: set SLACK_INVITE_URL and SLACK_INVITE_MODE=link");
        }
        switch (mode) {
            case "legacy" -> require(token, "slack.admin-token", "is needed for SLACK_INVITE_MODE=legacy");
            case "admin" -> {
                require(token, "slack.admin-token", "is needed for SLACK_INVITE_MODE=admin (a user token with "
                        + "admin.users:write)");
                require(team, "slack.team-id", "is needed for SLACK_INVITE_MODE=admin (the workspace's id, T...)");
                require(!list(context, "slack.channels").isEmpty(), "slack.channels",
                        "must name at least one channel id for SLACK_INVITE_MODE=admin (admin.users.invite needs one)");
            }
            case "link" -> require(link, "slack.invite-url", "is needed for SLACK_INVITE_MODE=link (the "
                    + "workspace's shared invite link)");
            case "none" -> {
                // nothing to check: the step is SKIPPED
            }
            default -> throw invalid("slack.invite-mode", chosen, "must be legacy, admin or link");
        }
        return new SlackInviteMode(mode, why);
    }

    private static void require(boolean set, String key, String why) {
        if (!set) {
            throw new InvalidSetting(variable(key) + " (" + key + ") " + why);
        }
    }

    /** A URL with a login in it ({@code scheme://user:password@host}). */
    private static boolean hasLogin(String value) {
        return LOGIN.matcher(value).find();
    }

    private static InvalidSetting invalid(String key, String value, String why) {
        // the refused value is shown, but never a password written into a URL
        String shown = SECRETS.contains(key) || NOT_LOGGED.contains(key) ? "****"
                : "'" + LOGIN.matcher(value).replaceFirst("$1****@") + "'";
        return new InvalidSetting(variable(key) + " (" + key + ") " + why + ": " + shown);
    }

    /**
     * SIGNUP_CORS_ORIGINS as browsers write an {@code Origin}: scheme and host in lower case, no default port.
     * Compared with the header as written, {@code https://Example.org} or {@code https://example.org:443} matched
     * no browser, and that site's posts were refused.
     */
    static List<String> corsOrigins(CamelContext context) {
        return list(context, "signup.cors-origins").stream().map(URI::create).map(origin -> {
            String scheme = origin.getScheme().toLowerCase(Locale.ROOT);
            int port = origin.getPort();
            boolean defaultPort = port == -1 || port == (scheme.equals("https") ? 443 : 80);
            return scheme + "://" + origin.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        }).distinct().toList();
    }

    /** A comma-separated setting's items, stripped, without empty ones. */
    static List<String> list(CamelContext context, String key) {
        return Arrays.stream(value(context, key).split(",")).map(String::strip).filter(item -> !item.isEmpty())
                .distinct().toList();
    }

    static String value(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("").strip();
    }

    /** A setting that stops the start. Its message is the one line the operator sees. */
    public static final class InvalidSetting extends RuntimeException {
        InvalidSetting(String message) {
            super(message, null, false, false);
        }
    }
}
