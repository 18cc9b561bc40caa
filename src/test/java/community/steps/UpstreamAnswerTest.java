package community.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An upstream's Retry-After, as the step's policy waits for it: seconds or an HTTP date, and untrusted. */
class UpstreamAnswerTest {

    @Test
    void seconds_and_dates_are_waits_and_anything_else_is_none() {
        assertThat(UpstreamAnswer.retryAfter("3")).isEqualTo(3000);
        assertThat(UpstreamAnswer.retryAfter("-5")).isZero();
        assertThat(UpstreamAnswer.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
        assertThat(UpstreamAnswer.retryAfter("soon")).isNull();
        assertThat(UpstreamAnswer.retryAfter(" ")).isNull();
    }

    @Test
    void a_huge_number_of_seconds_is_a_long_wait_not_a_negative_one() {
        // 9,223,372,036,854,775 s in ms overflowed a long: the step tried again at once, whatever Slack asked
        assertThat(UpstreamAnswer.retryAfter("9223372036854775")).isPositive();
        assertThat(UpstreamAnswer.retryAfter("9223372036854775807")).isPositive();
    }
}
