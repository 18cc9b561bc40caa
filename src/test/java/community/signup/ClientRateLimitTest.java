package community.signup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The limiter's own bookkeeping, which no HTTP test can flood in reasonable time. */
class ClientRateLimitTest {

    @Test
    void a_flood_of_fresh_addresses_keeps_the_limiter_within_its_bound_and_the_recent_clients_limited() {
        ClientRateLimit limit = new ClientRateLimit(2, new ClientAddresses(List.of()));
        long now = 0;
        for (int i = 0; i < ClientRateLimit.MAX_TRACKED * 2; i++) {
            limit.take("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff) + "/" + i, now);
        }
        assertThat(limit.tracked()).isLessThanOrEqualTo(ClientRateLimit.MAX_TRACKED);

        assertThat(limit.take("192.0.2.1", now)).isZero();
        assertThat(limit.take("192.0.2.1", now)).isZero();
        assertThat(limit.take("192.0.2.1", now)).as("a recent client keeps its bucket").isPositive();
    }

    @Test
    void a_trusted_proxy_is_an_address_in_any_spelling_and_never_a_name_or_a_range() {
        assertThat(ClientAddresses.normal("::1")).isEqualTo(ClientAddresses.normal("0:0:0:0:0:0:0:1"))
                .isEqualTo(ClientAddresses.normal("[::1]"));
        assertThat(ClientAddresses.normal("2001:DB8::7")).isEqualTo(ClientAddresses.normal("2001:db8:0:0:0:0:0:7"));
        assertThat(List.of("192.0.2.10", "2001:db8::1", "::ffff:192.0.2.10")).allMatch(ClientAddresses::isAddress);
        assertThat(List.of("10.0.0.0/8", "2001:db8::/64", "proxy.internal", "999.1.1.1", "192.0.2", "", "::g"))
                .noneMatch(ClientAddresses::isAddress);
    }

    @Test
    void ipv6_addresses_are_counted_by_their_64_bit_prefix() {
        assertThat(ClientAddresses.counted("2001:db8:1:2::1"))
                .isEqualTo(ClientAddresses.counted("2001:DB8:1:2:a:b:c:d"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddresses.counted("[2001:db8:1:3::1]")).isEqualTo("2001:db8:1:3::/64");
        assertThat(ClientAddresses.counted("::ffff:198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(ClientAddresses.counted("198.51.100.7")).isEqualTo("198.51.100.7");
    }
}
