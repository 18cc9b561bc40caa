package community.signup;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who sent an HTTP request, as the abuse limits count clients: the connection's address, or from a proxy listed in
 * {@code SIGNUP_TRUSTED_PROXIES}, the address that proxy put last into {@code X-Forwarded-For}. Both are read from the
 * HTTP request itself: platform-http also copies query parameters and form fields into the message's headers,
 * where {@code ?X-Forwarded-For=...} would choose the address counted. An IPv6 client is counted by its /64 (one
 * subscriber's network: it can take any address in it).
 */
public class ClientAddresses {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Hex digits and colons (a dotted IPv4 tail allowed): Java reads it as a literal, with no look-up. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    private static final Logger LOG = LoggerFactory.getLogger(ClientAddresses.class);

    private final Set<String> trustedProxies;
    /** Whether the log has said once that a proxy SIGNUP_TRUSTED_PROXIES does not name is in front. */
    private final AtomicBoolean unnamedProxyTold = new AtomicBoolean();

    /** @param trustedProxies the addresses of {@code SIGNUP_TRUSTED_PROXIES} */
    public ClientAddresses(Collection<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(ClientAddresses::normal)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The HTTP request itself, under the message platform-http made of it. */
    public static HttpServerRequest request(Exchange exchange) {
        if (!(exchange.getIn() instanceof HttpMessage http) || http.getRequest() == null) {
            throw new IllegalStateException("not an HTTP request of platform-http on Vert.x");
        }
        return http.getRequest();
    }

    /** The client as counted: an IPv4 address, or an IPv6 /64. */
    public String of(Exchange exchange) {
        HttpServerRequest request = request(exchange);
        SocketAddress remote = request.remoteAddress();
        String address = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
        // every X-Forwarded-For line, in order: a proxy may add a line of its own (HAProxy does) after the
        // client's, and the first line alone is whatever the client wrote
        List<String> forwarded = request.headers().getAll("X-Forwarded-For");
        if (!forwarded.isEmpty() && !trustedProxies.contains(normal(address)) && isNearby(address)
                && unnamedProxyTold.compareAndSet(false, true)) {
            LOG.warn("Requests come through a proxy at {} (they carry X-Forwarded-For) that SIGNUP_TRUSTED_PROXIES does "
                    + "not name: the per-client limits count every visitor behind it as one client, and a busy minute "
                    + "turns them away with 429. Name it: SIGNUP_TRUSTED_PROXIES={}", address, normal(address));
        }
        if (!forwarded.isEmpty() && trustedProxies.contains(normal(address))) {
            String[] hops = String.join(",", forwarded).split(",");
            // the last hop a trusted proxy added is the client as that proxy saw it
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].strip();
                if (!hop.isEmpty() && !trustedProxies.contains(normal(hop))) {
                    return counted(hop);
                }
            }
        }
        return counted(address);
    }

    /**
     * An address only this machine or its own network can connect from (loopback, private, link-local, IPv6
     * unique-local): a peer there that sends X-Forwarded-For is a proxy in front of the service, where a client on
     * the internet that sends one is only writing a header.
     */
    private static boolean isNearby(String address) {
        InetAddress literal = literal(address);
        return literal != null && (literal.isLoopbackAddress() || literal.isSiteLocalAddress()
                || literal.isLinkLocalAddress()
                || literal instanceof Inet6Address && (literal.getAddress()[0] & 0xfe) == 0xfc);
    }

    /** An IPv4 or IPv6 address written as one (no name, no range). */
    public static boolean isAddress(String value) {
        return literal(value) != null;
    }

    /** An address in one spelling (::1 and 0:0:0:0:0:0:0:1 are one), to compare; anything else as it is. */
    static String normal(String address) {
        InetAddress literal = literal(address);
        return literal == null ? address.strip() : literal.getHostAddress();
    }

    /** The address a literal names (brackets and an IPv6 zone left out), or null for anything else: no look-up. */
    private static InetAddress literal(String address) {
        String value = address.strip();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        int zone = value.indexOf('%');
        if (zone >= 0 && value.indexOf(':') >= 0) {
            value = value.substring(0, zone);
        }
        boolean ipv4 = IPV4.matcher(value).matches()
                && Arrays.stream(value.split("\\.")).allMatch(part -> Integer.parseInt(part) <= 255);
        if (!ipv4 && !IPV6.matcher(value).matches()) {
            return null;
        }
        try {
            // a literal only (checked above): no name is looked up
            return InetAddress.getByName(value);
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }

    /** What the limits count: an IPv4 address as it is, an IPv6 address by its /64. */
    static String counted(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        InetAddress literal = literal(address);
        if (literal == null) {
            return address;
        }
        byte[] bytes = literal.getAddress();
        if (bytes.length == 4) {
            return literal.getHostAddress(); // an IPv4-mapped IPv6 address
        }
        StringBuilder prefix = new StringBuilder(20);
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }
}
