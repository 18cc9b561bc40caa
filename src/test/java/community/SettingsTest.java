package community;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        for (Map.Entry<String, String> bad : Map.of(
                "activecampaign.rate-limit", "ACTIVECAMPAIGN_RATE_LIMIT (activecampaign.rate-limit) must not be negative: '-1'",
                "slack.api-url", "SLACK_API_URL (slack.api-url) is not an http(s) URL: 'slack.com/api'",
                "signup.wait-timeout", "SIGNUP_WAIT_TIMEOUT (signup.wait-timeout) must be a duration (1500, 30s, 1m): 'soon'",
                "activecampaign.api", "ACTIVECAMPAIGN_API (activecampaign.api) must be v3 or v1: 'v2'").entrySet()) {
            Map<String, String> settings = RunningService.quickSettings();
            settings.put(bad.getKey(), switch (bad.getKey()) {
                case "activecampaign.rate-limit" -> "-1";
                case "slack.api-url" -> "slack.com/api";
                case "signup.wait-timeout" -> "soon";
                default -> "v2";
            });
            assertThatThrownBy(() -> RunningService.start(settings)).as(bad.getKey())
                    .rootCause().hasMessage(bad.getValue());
        }
    }
}
