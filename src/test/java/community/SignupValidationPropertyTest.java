package community;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

import community.signup.SignupRejected;
import community.signup.SignupRequest;
import community.signup.SignupValidation;

/**
 * The validator, fed random strings built from the characters that matter (separators, dots, controls,
 * Unicode): it never fails other than with a 400 naming fields, and everything it accepts obeys DESIGN.md.
 */
class SignupValidationPropertyTest {

    private static final String ALPHABET = "ab.@-_+ \t\n\u0000\u007f\u00e9\u202eZ9<>\"\\,;:()[]\u2028\uD83D\uDE00";

    private static final String SAFE = "abz09._+-\u00e9";

    /** Mostly plausible characters, with a hostile one now and then. */
    private static String random(Random random, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            String from = random.nextInt(8) == 0 ? ALPHABET : SAFE;
            s.append(from.charAt(random.nextInt(from.length())));
        }
        return s.toString();
    }

    @Test
    void random_input_is_either_a_well_formed_request_or_a_400_naming_fields() {
        Random random = new Random(20261125L);
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            String email = i % 3 == 0 ? random(random, 12) + "@" + random(random, 8) + ".org" : random(random, 300);
            String first = random(random, i % 50 == 0 ? 120 : 10);
            String last = random(random, 10);
            try {
                SignupRequest request = SignupValidation.validate(email, first, last);
                accepted++;
                String e = request.email();
                assertThat(e).isEqualTo(e.strip().toLowerCase(java.util.Locale.ROOT)).hasSizeLessThanOrEqualTo(254);
                assertThat(e.chars().filter(c -> c == '@').count()).isEqualTo(1);
                assertThat(e.substring(e.indexOf('@') + 1)).contains(".").doesNotStartWith(".").doesNotEndWith(".");
                assertThat(e).doesNotContainPattern("[\\s\\p{Cntrl}<>()\\[\\]\\\\,;:\"]");
                assertThat(e.substring(e.indexOf('@') + 1)).matches("[\\p{L}\\p{Nd}.-]+");
                for (String name : new String[] { request.firstName(), request.lastName() }) {
                    assertThat(name.codePointCount(0, name.length())).isLessThanOrEqualTo(100);
                    assertThat(name).isEqualTo(name.strip()).doesNotContainPattern("\\p{Cntrl}|[\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]");
                }
            } catch (SignupRejected rejected) {
                assertThat(rejected.status()).isEqualTo(400);
                assertThat(rejected.fields()).isNotEmpty();
                assertThat(rejected.fields().keySet()).isSubsetOf("email", "first_name", "last_name");
            }
        }
        assertThat(accepted).as("the generator also makes valid sign-ups").isGreaterThan(100);
    }
}
