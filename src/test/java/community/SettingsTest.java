package community;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import community.testing.LogCapture;
import community.testing.RunningService;

/** Settings come from application.properties, the environment and the env file; bad ones stop the start. */
class SettingsTest {

    @TempDir
    Path folder;

    @Test
    void the_env_file_gives_settings_by_their_variable_names_and_the_real_environment_wins() throws IOException {
        Path file = folder.resolve("signup.env");
        Files.writeString(file, """
                # secrets
                SLACK_ADMIN_TOKEN=xoxs-from-file
                export ACTIVECAMPAIGN_API_KEY="quoted key"

                ACTIVECAMPAIGN_URL=https://from-file.example
                """);

        Map<String, String> properties = Settings.fromEnvFile(file, Map.of("ACTIVECAMPAIGN_URL", "https://real.example"));

        assertThat(properties).containsExactly(Map.entry("slack.admin-token", "xoxs-from-file"),
                Map.entry("activecampaign.api-key", "quoted key"));
    }

    @Test
    void a_setting_given_as_nothing_in_the_env_file_or_the_environment_is_one_not_set() throws IOException {
        Path file = folder.resolve("signup.env");
        Files.writeString(file, """
                ACTIVECAMPAIGN_URL=
                SLACK_INVITE_URL=https://join.slack.com/t/ours/shared_invite/link
                SIGNUP_TITLE=From the file
                """);

        // a compose file passes an unset ${VAR} as an empty variable
        Map<String, String> properties = Settings.fromEnvFile(file,
                Map.of("SLACK_INVITE_URL", "", "SIGNUP_TITLE", "From the environment"));

        assertThat(properties).containsExactly(
                Map.entry("slack.invite-url", "https://join.slack.com/t/ours/shared_invite/link"));
    }

    @Test
    void an_env_file_other_users_may_read_is_warned_of() throws IOException {
        Path file = folder.resolve("signup.env");
        Files.writeString(file, "SLACK_ADMIN_TOKEN=xoxs-from-file\n");
        String warning = file + " holds secrets and other users of this machine may read it; make it yours only: "
                + "chmod 600 " + file;
        try (LogCapture log = LogCapture.start()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            Settings.fromEnvFile(file, Map.of());
            assertThat(log.messages()).contains(warning);
        }
        try (LogCapture log = LogCapture.start()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Settings.fromEnvFile(file, Map.of());
            assertThat(log.messages()).doesNotContain(warning);
        }
    }

    @Test
    void an_unknown_name_in_the_env_file_is_refused_with_its_line() throws IOException {
        Path file = folder.resolve("signup.env");
        Files.writeString(file, "SLACK_ADMIN_TOKEN=x\nSLAK_ORGANISATION=typo\n");

        assertThatThrownBy(() -> Settings.fromEnvFile(file, Map.of()))
                .hasMessage(file + " line 2: SLAK_ORGANISATION is not a setting of this service");
    }

    @Test
    void no_env_file_is_no_settings() {
        assertThat(Settings.fromEnvFile(folder.resolve("absent.env"), Map.of())).isEmpty();
    }

    @Test
    void an_invalid_value_stops_the_start_naming_the_setting() {
        for (String[] bad : new String[][] {
                { "activecampaign.rate-limit", "-1",
                        "ACTIVECAMPAIGN_RATE_LIMIT (activecampaign.rate-limit) must not be negative: '-1'" },
                { "slack.api-url", "slack.com/api",
                        "SLACK_API_URL (slack.api-url) is not an http(s) URL: 'slack.com/api'" },
                { "signup.wait-timeout", "soon",
                        "SIGNUP_WAIT_TIMEOUT (signup.wait-timeout) must be a duration (1500, 30s, 1m): 'soon'" },
                { "signup.shutdown-timeout", "10s",
                        "SIGNUP_SHUTDOWN_TIMEOUT (signup.shutdown-timeout) must be a whole number: '10s'" },
                { "slack.channels", "C0123456789, #general",
                        "SLACK_CHANNELS (slack.channels) must be channel ids such as C0123456789, not names (a channel's "
                                + "id is at the bottom of its details in Slack): '#general'" },
                { "slack.channels", "random",
                        "SLACK_CHANNELS (slack.channels) must be channel ids such as C0123456789, not names (a channel's "
                                + "id is at the bottom of its details in Slack): 'random'" },
                { "slack.team-id", "our-community",
                        "SLACK_TEAM_ID (slack.team-id) must be the workspace's id such as T0123456789, not its name: "
                                + "'our-community'" },
                { "activecampaign.list-id", "Newsletter",
                        "ACTIVECAMPAIGN_LIST_ID (activecampaign.list-id) must be the list's id, a number, not its name: "
                                + "'Newsletter'" },
                { "activecampaign.api", "v2", "ACTIVECAMPAIGN_API (activecampaign.api) must be v3 or v1: 'v2'" },
                { "signup.admin-token", "too-short-to-guard-anything",
                        "SIGNUP_ADMIN_TOKEN (signup.admin-token) must be at least 32 characters "
                                + "(a random one: openssl rand -hex 24): ****" },
                { "slack.organization", "evil.example/#",
                        "SLACK_ORGANIZATION (slack.organization) must be the workspace's subdomain "
                                + "(the your-workspace of your-workspace.slack.com): 'evil.example/#'" },
                { "signup.coc-url", "javascript:alert(1)",
                        "SIGNUP_COC_URL (signup.coc-url) is not an http(s) URL: 'javascript:alert(1)'" },
                { "signup.privacy-url", "javascript:alert(1)",
                        "SIGNUP_PRIVACY_URL (signup.privacy-url) is not an http(s) URL: 'javascript:alert(1)'" },
                { "signup.captcha-verify-url", "file:///etc/passwd",
                        "SIGNUP_CAPTCHA_VERIFY_URL (signup.captcha-verify-url) is not an http(s) URL: "
                                + "'file:///etc/passwd'" },
                { "slack.invite-mode", "magic", "SLACK_INVITE_MODE (slack.invite-mode) must be legacy, admin or link: 'magic'" },
                { "slack.invite-mode", "admin",
                        "SLACK_ADMIN_TOKEN (slack.admin-token) is needed for SLACK_INVITE_MODE=admin (a user token "
                                + "with admin.users:write)" },
                { "slack.invite-mode", "link",
                        "SLACK_INVITE_URL (slack.invite-url) is needed for SLACK_INVITE_MODE=link (the workspace's "
                                + "shared invite link)" },
                { "activecampaign.url", "http://our-club.api-us1.com",
                        "ACTIVECAMPAIGN_URL (activecampaign.url) must be an https:// address: a secret goes with each "
                                + "request to it (http:// only for a server on this machine): 'http://our-club.api-us1.com'" },
                { "slack.api-url", "http://slack.com/api",
                        "SLACK_API_URL (slack.api-url) must be an https:// address: a secret goes with each request to "
                                + "it (http:// only for a server on this machine): 'http://slack.com/api'" },
                { "slack.notify-webhook-url", "http://hooks.slack.com/services/T0/B0/secret-part",
                        "SLACK_NOTIFY_WEBHOOK_URL (slack.notify-webhook-url) must be an https:// address: a secret goes "
                                + "with each request to it (http:// only for a server on this machine): ****" },
                { "slack.invite-url", "http://join.slack.com/t/x/shared_invite/zt-1",
                        "SLACK_INVITE_URL (slack.invite-url) must be the workspace's shared invite link, an https:// "
                                + "address (https://join.slack.com/t/...): ****" },
                { "signup.trusted-proxies", "192.0.2.10, 10.0.0.0/8",
                        "SIGNUP_TRUSTED_PROXIES (signup.trusted-proxies) is not an IP address (the proxies' own "
                                + "addresses, not names or ranges): '10.0.0.0/8'" },
                { "signup.trusted-proxies", "ingress.internal",
                        "SIGNUP_TRUSTED_PROXIES (signup.trusted-proxies) is not an IP address (the proxies' own "
                                + "addresses, not names or ranges): 'ingress.internal'" },
                { "signup.routes-reload", "yes",
                        "SIGNUP_ROUTES_RELOAD (signup.routes-reload) must be true or false: 'yes'" },
                { "signup.approval", "TRUE", "SIGNUP_APPROVAL (signup.approval) must be true or false: 'TRUE'" },
                { "slack.notify-failures", "no",
                        "SLACK_NOTIFY_FAILURES (slack.notify-failures) must be true or false: 'no'" },
                { "signup.accent", "red",
                        "SIGNUP_ACCENT (signup.accent) must be a colour written #rrggbb (#4a154b): 'red'" },
                { "signup.captcha", "recaptcha",
                        "SIGNUP_CAPTCHA (signup.captcha) must be turnstile or hcaptcha: 'recaptcha'" },
                { "signup.cors-origins", "https://ok.example, https://site.example/page",
                        "SIGNUP_CORS_ORIGINS (signup.cors-origins) is not an origin like https://example.org: "
                                + "'https://site.example/page'" } }) {
            Map<String, String> settings = RunningService.quickSettings();
            settings.put(bad[0], bad[1]);
            assertThatThrownBy(() -> RunningService.start(settings)).as(bad[0]).rootCause().hasMessage(bad[2]);
        }
    }

    @Test
    void a_slack_apps_bot_token_which_no_invite_method_takes_stops_the_start_unless_the_link_is_used() {
        Map<String, String> bot = RunningService.quickSettings();
        bot.put("slack.admin-token", "xoxb-1234-5678-botbotbotbot");
        assertThatThrownBy(() -> RunningService.start(bot)).rootCause().hasMessage("SLACK_ADMIN_TOKEN "
                + "(slack.admin-token) is a bot token (xoxb-...), which Slack takes for no invite (legacy mode: "
                + "SLACK_ADMIN_TOKEN is set without SLACK_TEAM_ID): users.admin.invite takes only a legacy token, "
                + "admin.users.invite only an Enterprise Grid admin's user token (xoxp-...). On any other workspace, "
                + "hand people its invite link: set SLACK_INVITE_URL and SLACK_INVITE_MODE=link");
        Map<String, String> app = RunningService.quickSettings();
        app.put("slack.admin-token", "xapp-1-A0123-4567-appappapp");
        app.put("slack.team-id", "T0123");
        app.put("slack.channels", "C0123");
        assertThatThrownBy(() -> RunningService.start(app)).rootCause().hasMessageStartingWith("SLACK_ADMIN_TOKEN "
                + "(slack.admin-token) is an app-level token (xapp-...), which Slack takes for no invite (admin mode: ");
        // the token may stay for something else when the link is what people get
        bot.put("slack.invite-mode", "link");
        bot.put("slack.invite-url", "https://join.slack.com/t/northpole/shared_invite/zt-bot-stays");
        RunningService.start(bot).close();
    }

    @Test
    void a_value_still_the_example_files_placeholder_stops_the_start() throws IOException {
        // a copy of signup.env.example started as it is: the page would hand visitors a link that leads nowhere
        Map<String, String> example = Settings.readEnvFile(Path.of("signup.env.example"));
        assertThat(example).containsKeys("slack.invite-url", "activecampaign.api-key");
        for (String key : List.of("slack.invite-url", "activecampaign.api-key")) {
            Map<String, String> settings = RunningService.quickSettings();
            settings.put(key, example.get(key));
            assertThatThrownBy(() -> RunningService.start(settings)).as(key).rootCause().hasMessage(
                    Settings.variable(key) + " (" + key + ") is still the placeholder of signup.env.example: set "
                            + "your own value, or leave the setting out");
        }
        // and a line the example has commented out, uncommented as it is
        String hook = Files.readAllLines(Path.of("signup.env.example")).stream()
                .filter(line -> line.startsWith("# SLACK_NOTIFY_WEBHOOK_URL=")).findFirst().orElseThrow()
                .substring("# SLACK_NOTIFY_WEBHOOK_URL=".length());
        Map<String, String> uncommented = RunningService.quickSettings();
        uncommented.put("slack.notify-webhook-url", hook);
        assertThatThrownBy(() -> RunningService.start(uncommented)).rootCause().hasMessage("SLACK_NOTIFY_WEBHOOK_URL "
                + "(slack.notify-webhook-url) is still the placeholder of signup.env.example: set your own value, or "
                + "leave the setting out");
        Map<String, String> own = RunningService.quickSettings();
        own.put("slack.invite-url", "https://join.slack.com/t/northpole/shared_invite/zt-real-link");
        RunningService.start(own).close();
    }

    @Test
    void an_example_file_someone_made_their_own_stops_nothing() throws Exception {
        Path example = folder.resolve("signup.env.example");
        String link = "https://join.slack.com/t/northpole/shared_invite/zt-example";
        try (CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().addInitialProperty("slack.invite-url", link);
            Files.writeString(example, "JAVA_HOME=/opt/java\nSLACK_INVITE_URL=" + link + "\n");
            assertThatCode(() -> Settings.refuseExampleValues(context, example)).doesNotThrowAnyException();
            Files.writeString(example, "SLACK_INVITE_URL=" + link + "\n");
            assertThatThrownBy(() -> Settings.refuseExampleValues(context, example)).hasMessage("SLACK_INVITE_URL "
                    + "(slack.invite-url) is still the placeholder of signup.env.example: set your own value, or "
                    + "leave the setting out");
        }
    }

    @Test
    void a_port_another_program_holds_stops_the_start() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            Map<String, String> settings = RunningService.quickSettings();
            settings.put("signup.port", String.valueOf(taken.getLocalPort()));
            assertThatThrownBy(() -> RunningService.start(settings)).rootCause().hasMessage("SIGNUP_PORT (signup.port) "
                    + "cannot be listened on (Address already in use; another program, or a copy of this service, may "
                    + "hold it): '" + taken.getLocalPort() + "'");
        }
    }

    @Test
    void a_url_with_a_password_in_it_is_refused_without_showing_the_password() {
        Map<String, String> mail = RunningService.quickSettings();
        mail.put("signup.mail-url", "smtp://club%40example.org:Sup3rS3cret@smtp.example.org:587");
        mail.put("signup.mail-from", "club@example.org");
        Map<String, String> activeCampaign = RunningService.quickSettings();
        activeCampaign.put("activecampaign.url", "https://acct:Sup3rS3cret@acct.api-us1.com");
        try (LogCapture log = LogCapture.start()) {
            assertThatThrownBy(() -> RunningService.start(mail)).rootCause().hasMessage("SIGNUP_MAIL_URL "
                    + "(signup.mail-url) must not hold the login: it goes in SIGNUP_MAIL_USERNAME and "
                    + "SIGNUP_MAIL_PASSWORD: 'smtp://****@smtp.example.org:587'");
            assertThatThrownBy(() -> RunningService.start(activeCampaign)).rootCause().hasMessage(
                    "ACTIVECAMPAIGN_URL (activecampaign.url) must not hold a user name or password (user:password@): "
                            + "nothing in it is kept secret: 'https://****@acct.api-us1.com'");
            assertThat(log.messages()).noneMatch(line -> line.contains("Sup3rS3cret"));
        }
    }

    @Test
    void approval_needs_the_operator_token_with_which_organisers_approve() {
        // without it the dashboard and the operator API are off: every invite waited for an answer no one could
        // give, its visitor told "an organiser will look at your request", and expired after 14 days
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("slack.invite-url", "https://join.slack.com/t/northpole/shared_invite/zt-settings-test");
        settings.put("signup.mail-url", "smtp://127.0.0.1:2525");
        settings.put("signup.mail-from", "signup@northpole.example");
        settings.put("signup.approval", "true");
        assertThatThrownBy(() -> RunningService.start(settings)).rootCause().hasMessage(
                "SIGNUP_ADMIN_TOKEN (signup.admin-token) is needed with SIGNUP_APPROVAL=true: organisers approve each "
                        + "invite on the dashboard or through the operator API, which are off without it");
    }

    @Test
    void half_of_activecampaign_s_settings_is_said_at_start_and_its_step_is_skipped() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("activecampaign.url", "https://our-club.api-us1.com");
        try (LogCapture log = LogCapture.start(); RunningService service = RunningService.start(settings)) {
            assertThat(log.messages()).contains("ActiveCampaign sync is off: ACTIVECAMPAIGN_URL is set but "
                    + "ACTIVECAMPAIGN_API_KEY is not, so RecordAC is SKIPPED on every sign-up");
            JsonNode recordAc = service.postJson("/signup?wait=true", "{\"email\":\"half@example.org\"}").json()
                    .path("results").path("RecordAC");
            assertThat(recordAc.path("status").asText()).isEqualTo("SKIPPED");
        }
    }

    @Test
    void approval_with_slack_invites_off_is_said_at_start() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.approval", "true");
        try (LogCapture log = LogCapture.start(); RunningService service = RunningService.start(settings)) {
            assertThat(log.messages()).contains("SIGNUP_APPROVAL=true has nothing to approve: Slack invites are off "
                    + "(none of SLACK_ADMIN_TOKEN, SLACK_INVITE_URL is set), so InviteSlack is SKIPPED on every sign-up");
        }
    }

    @Test
    void half_of_the_captcha_stops_the_start_where_it_had_left_the_form_unguarded() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.captcha-site-key", "0x4AAAA-site-key");
        assertThatThrownBy(() -> RunningService.start(settings)).rootCause().hasMessage(
                "SIGNUP_CAPTCHA_SECRET (signup.captcha-secret) is needed with SIGNUP_CAPTCHA_SITE_KEY: without it no "
                        + "answer to the CAPTCHA is checked, and bots pass as if there were none");
        settings.remove("signup.captcha-site-key");
        settings.put("signup.captcha-secret", "0x4AAAA-secret");
        assertThatThrownBy(() -> RunningService.start(settings)).rootCause().hasMessage(
                "SIGNUP_CAPTCHA_SITE_KEY (signup.captcha-site-key) is needed with SIGNUP_CAPTCHA_SECRET: the page shows "
                        + "the CAPTCHA with it");
    }

    @Test
    void admin_mode_needs_the_workspace_and_a_channel() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("slack.admin-token", "xoxp-settings-test-token");
        settings.put("slack.invite-mode", "admin");
        assertThatThrownBy(() -> RunningService.start(settings)).rootCause().hasMessage(
                "SLACK_TEAM_ID (slack.team-id) is needed for SLACK_INVITE_MODE=admin (the workspace's id, T...)");
        // chosen from what is set: a team id with the token means admin, which needs a channel
        settings.remove("slack.invite-mode");
        settings.put("slack.team-id", "T0123ABCD");
        assertThatThrownBy(() -> RunningService.start(settings)).rootCause().hasMessage(
                "SLACK_CHANNELS (slack.channels) must name at least one channel id for SLACK_INVITE_MODE=admin "
                        + "(admin.users.invite needs one)");
    }
    @Test
    void an_env_file_saved_with_a_byte_order_mark_and_windows_line_ends_reads_as_any_other_and_one_not_in_utf8_says_so() throws IOException {
        Path file = folder.resolve("signup.env");
        Files.writeString(file, "\uFEFFSIGNUP_TITLE=Our Club\r\nSLACK_ADMIN_TOKEN=xoxs-from-windows\r\n");

        assertThat(Settings.fromEnvFile(file, Map.of())).containsExactly(Map.entry("signup.title", "Our Club"),
                Map.entry("slack.admin-token", "xoxs-from-windows"));

        Files.writeString(file, "SIGNUP_TITLE=Caf\u00e9 des d\u00e9veloppeurs\n", StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Settings.fromEnvFile(file, Map.of()))
                .hasMessage(file + " is not UTF-8 text: save it as UTF-8");
    }

    @Test
    void what_the_launcher_or_the_log_reads_before_the_env_file_is_refused_there_saying_where_it_goes() throws IOException {
        for (String variable : List.of("SIGNUP_LOG_FORMAT", "SIGNUP_CLASS_ARCHIVE", "SIGNUP_JAVA_OPTS")) {
            Path file = folder.resolve("signup.env");
            Files.writeString(file, "SLACK_ADMIN_TOKEN=xoxs-from-file\n" + variable + "=json\n");
            assertThatThrownBy(() -> Settings.fromEnvFile(file, Map.of())).hasMessage(file + " line 2: " + variable
                    + " is read before signup.env is (by the launcher, or as the log begins): set it in the environment");
        }
    }

    @Test
    void every_setting_is_in_the_readme_s_configuration_table() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("\n## Configuration"), readme.indexOf("\n## Slack invites"));
        for (String key : Settings.KNOWN) {
            assertThat(table).as(key).contains("`" + Settings.variable(key) + "`");
        }
        assertThat(table).contains("`SIGNUP_LOG_FORMAT`", "`SIGNUP_JAVA_OPTS`", "`SIGNUP_CLASS_ARCHIVE`");
    }
}
