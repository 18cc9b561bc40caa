package community.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Whatever accent colour a community configures, the text on its button stays readable and the focus ring
 * stays visible: WCAG 2's contrast ratios, 4.5:1 for text and 3:1 for the ring against the page.
 */
class SignupPageThemeTest {

    static final Pattern VARIABLE = Pattern.compile("--([a-z-]+): (#[0-9a-f]{3,6});");

    @Test
    void text_on_any_accent_is_readable_and_the_focus_ring_stands_out() {
        for (int r = 0; r < 256; r += 15) {
            for (int g = 0; g < 256; g += 15) {
                for (int b = 0; b < 256; b += 15) {
                    String accent = String.format("#%02x%02x%02x", r, g, b);
                    String theme = SignupPage.theme(accent);
                    assertThat(ratio(accent, variable(theme, "on-accent"))).as("text on " + accent)
                            .isGreaterThanOrEqualTo(4.5);
                    assertThat(ratio(variable(theme, "focus"), SignupPage.PAGE)).as("focus ring of " + accent)
                            .isGreaterThanOrEqualTo(3.0);
                }
            }
        }
    }

    @Test
    void a_dark_accent_gets_white_text_and_a_pale_one_black() {
        assertThat(variable(SignupPage.theme("#4a154b"), "on-accent")).isEqualTo("#fff");
        assertThat(variable(SignupPage.theme("#ffd60a"), "on-accent")).isEqualTo("#000");
        assertThat(variable(SignupPage.theme("#ffd60a"), "focus")).isEqualTo(SignupPage.INK);
        assertThat(variable(SignupPage.theme("#4a154b"), "focus")).isEqualTo("#4a154b");
    }

    @Test
    void contrast_is_measured_as_wcag_does() {
        assertThat(ratio("#000000", "#ffffff")).isCloseTo(21.0, org.assertj.core.data.Offset.offset(0.01));
        // the lightest grey that passes for text on white, and the darkest that does not
        assertThat(ratio("#767676", "#ffffff")).isCloseTo(4.54, org.assertj.core.data.Offset.offset(0.01));
        assertThat(ratio("#777777", "#ffffff")).isLessThan(4.5);
    }

    static String variable(String theme, String name) {
        Matcher m = VARIABLE.matcher(theme);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no --" + name + " in " + theme);
    }

    static double ratio(String a, String b) {
        return SignupPage.contrast(SignupPage.luminance(expand(a)), SignupPage.luminance(expand(b)));
    }

    static String expand(String colour) {
        return colour.length() == 4 ? "#" + colour.substring(1).replaceAll("(.)", "$1$1") : colour;
    }
}
