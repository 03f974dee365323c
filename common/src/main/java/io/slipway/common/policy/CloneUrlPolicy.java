package io.slipway.common.policy;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which clone URLs a run may fetch from, so a webhook cannot make Slipway reach into the machine it runs
 * on or the network behind it. Only allowed schemes and hosts pass; {@code file://}, loopback, private,
 * link-local (cloud metadata) and other non-public addresses are refused unless explicitly allowed, also when
 * written in the usual bypass forms (decimal, octal or hex IPv4, short IPv4, IPv4-mapped or compatible IPv6,
 * userinfo before the host). {@link #refusal} does not resolve host names (the trigger decides without DNS);
 * {@link #refusalAfterResolving} also checks the addresses a name resolves to, right before a fetch connects.
 */
public final class CloneUrlPolicy {

    /** What an operator allows; the defaults admit https and ssh to public hosts only. */
    public record Settings(Set<String> schemes, Set<String> allowedHosts, boolean allowFile, boolean allowLoopback,
                           boolean allowPrivate) {
        public static Settings defaults() {
            return new Settings(Set.of("https", "ssh"), Set.of(), false, false, false);
        }
    }

    private static final Pattern REMOTE_HELPER = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*::");
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:([^@/]+)@)?([^:/]+):(?!//)(.+)$");

    private final Settings settings;

    public CloneUrlPolicy(Settings settings) {
        this.settings = settings;
    }

    /** Resolves a host name to the addresses a connection may use; {@code InetAddress::getAllByName} in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Returns why the URL is refused, or empty when a run may clone from it. */
    public Optional<String> refusal(String cloneUrl) {
        Target target = target(cloneUrl);
        if (target.refusal() != null) {
            return Optional.of(target.refusal());
        }
        return target.host() == null ? Optional.empty() : check(target.scheme(), target.host(), cloneUrl.trim());
    }

    /**
     * Applies the policy to what a fetch actually connects to: the URL itself, then every address its host name
     * resolves to now, so a public-looking name that resolves to a loopback, private or metadata address is refused.
     *
     * @throws UnknownHostException when the host name does not resolve
     */
    public Optional<String> refusalAfterResolving(String cloneUrl, Resolver resolver) throws UnknownHostException {
        return check(cloneUrl, resolver).refusal();
    }

    /**
     * What {@link #refusalAfterResolving} decides, with the addresses it checked: a connection that must go where the
     * policy looked connects to exactly these (DNS may answer differently a moment later).
     *
     * @throws UnknownHostException when the host name does not resolve
     */
    public Checked check(String cloneUrl, Resolver resolver) throws UnknownHostException {
        Optional<String> refused = refusal(cloneUrl);
        Target target = target(cloneUrl);
        if (refused.isPresent()) {
            return new Checked(refused, null, List.of());
        }
        if (target.host() == null) {
            return new Checked(Optional.empty(), null, List.of());
        }
        String host = hostKey(target.host());
        Optional<InetAddress> literal = parseLiteral(host);
        if (literal.isPresent()) {
            return new Checked(Optional.empty(), host, List.of(literal.get()));
        }
        InetAddress[] addresses = resolver.resolve(host);
        for (InetAddress address : addresses) {
            Optional<String> refusal = classify(address, host + " (" + address.getHostAddress() + ")");
            if (refusal.isPresent()) {
                return new Checked(refusal, host, List.of());
            }
        }
        return new Checked(Optional.empty(), host, List.of(addresses));
    }

    /**
     * The outcome of {@link #check}: a refusal, or the host (as {@link #hostKey} writes it; null for a local URL) and
     * every address it resolved to, all of which passed.
     */
    public record Checked(Optional<String> refusal, String host, List<InetAddress> addresses) {
    }

    /** A parsed clone URL: a refusal, a local (file) URL with no host, or a scheme and raw host. */
    private record Target(String scheme, String host, String refusal) {
        static Target refused(String reason) {
            return new Target(null, null, reason);
        }
    }

    private Target target(String cloneUrl) {
        if (cloneUrl == null || cloneUrl.isBlank()) {
            return Target.refused("clone URL is empty");
        }
        String url = cloneUrl.trim();
        if (REMOTE_HELPER.matcher(url).find()) {
            // git runs <transport>::<address> through a remote helper; ext:: runs arbitrary commands.
            return Target.refused("git remote-helper URLs (<transport>::<address>) are not allowed");
        }
        Matcher scp = SCP_LIKE.matcher(url);
        if (!url.contains("://") && scp.matches()) {
            // git's scp-like syntax user@host:path is ssh.
            return new Target("ssh", scp.group(2), null);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Target.refused("clone URL is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return settings.allowFile() ? new Target(scheme, null, null)
                    : Target.refused("file:// clone URLs are not allowed (enable them only for local use)");
        }
        if (uri.getRawAuthority() == null) {
            return Target.refused("clone URL has no host: " + url);
        }
        String authority = uri.getRawAuthority();
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        return new Target(scheme, uri.getHost() != null ? uri.getHost() : stripPort(hostPort), null);
    }

    private Optional<String> check(String scheme, String rawHost, String url) {
        if (!settings.schemes().contains(scheme)) {
            return Optional.of("scheme '" + scheme + "' is not allowed; allowed: " + settings.schemes());
        }
        String host = hostKey(rawHost);
        if (host.isEmpty()) {
            return Optional.of("clone URL has no host: " + url);
        }
        if (!settings.allowedHosts().isEmpty() && settings.allowedHosts().stream().noneMatch(h -> hostMatches(h, host))) {
            return Optional.of("host '" + host + "' is not in the allowed hosts " + settings.allowedHosts());
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return settings.allowLoopback() ? Optional.empty() : Optional.of("loopback host '" + host + "' is not allowed");
        }
        Optional<InetAddress> literal = parseLiteral(host);
        if (literal.isEmpty()) {
            return Optional.empty();
        }
        return classify(literal.get(), host);
    }

    private Optional<String> classify(InetAddress address, String host) {
        InetAddress effective = unwrapMappedV4(address);
        if (effective.isLoopbackAddress()) {
            return settings.allowLoopback() ? Optional.empty() : Optional.of("loopback address " + host + " is not allowed");
        }
        if (effective.isLinkLocalAddress()) {
            return Optional.of("link-local address " + host + " (cloud metadata range) is not allowed");
        }
        if (effective.isAnyLocalAddress() || effective.isMulticastAddress() || isReservedV4(effective)) {
            return Optional.of("non-routable address " + host + " is not allowed");
        }
        if (effective.isSiteLocalAddress() || isUniqueLocalV6(effective) || isSharedOrBenchmarkV4(effective)) {
            return settings.allowPrivate() ? Optional.empty() : Optional.of("private address " + host + " is not allowed");
        }
        return Optional.empty();
    }

    private static boolean hostMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        return p.startsWith("*.") ? host.endsWith(p.substring(1)) : host.equals(p);
    }

    private static String stripPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(0, end + 1);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    /** A host name as the policy compares it: lower case, without IPv6 brackets or a trailing dot, IDN in ASCII. */
    public static String hostKey(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        try {
            return h.contains(":") ? h : IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return h;
        }
    }

    /**
     * Parses a host that is an IP literal in any form a resolver would accept: dotted quads whose parts may be
     * decimal, octal (leading 0) or hex (0x), the short forms a, a.b and a.b.c, and IPv6 (with a zone id).
     */
    static Optional<InetAddress> parseLiteral(String host) {
        if (host.contains(":")) {
            String withoutZone = host.contains("%") ? host.substring(0, host.indexOf('%')) : host;
            if (!withoutZone.matches("[0-9a-f:.]+")) {
                return Optional.empty();
            }
            try {
                return Optional.of(InetAddress.getByName(withoutZone));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long value = parseIpv4Part(parts[i]);
            if (value == null) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            address = (address << 8) | values[i];
        }
        int remainingBytes = 4 - (values.length - 1);
        long last = values[values.length - 1];
        if (last >= (1L << (8 * remainingBytes))) {
            return Optional.empty();
        }
        address = (address << (8 * remainingBytes)) | last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Long parseIpv4Part(String part) {
        try {
            if (part.isEmpty()) {
                return null;
            }
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() == 2 ? Long.valueOf(0) : parseOrNull(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return parseOrNull(part.substring(1), 8);
            }
            return parseOrNull(part, 10);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * {@link Long#parseLong(String, int)}, but null without throwing when a character could not be part of any number
     * it parses: a host name's label (almost every clone URL's) is no number, and building the exception with its stack
     * trace cost more than the rest of the check, on every webhook.
     */
    private static Long parseOrNull(String digits, int radix) {
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (Character.digit(c, radix) < 0 && c != '+' && c != '-') {
                return null;
            }
        }
        return Long.parseLong(digits, radix);
    }

    private static InetAddress unwrapMappedV4(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean prefixZero = true;
            for (int i = 0; i < 10; i++) {
                prefixZero &= b[i] == 0;
            }
            boolean mapped = prefixZero && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            boolean compatible = prefixZero && b[10] == 0 && b[11] == 0 && (b[12] | b[13]) != 0;
            // NAT64 well-known prefix 64:ff9b::/96 embeds an IPv4 address too.
            boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
            if (mapped || compatible || nat64) {
                try {
                    return InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    return address;
                }
            }
        }
        return address;
    }

    private static boolean isUniqueLocalV6(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static boolean isSharedOrBenchmarkV4(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        int a = address.getAddress()[0] & 0xff;
        int b = address.getAddress()[1] & 0xff;
        return (a == 100 && b >= 64 && b <= 127) || (a == 198 && (b == 18 || b == 19));
    }

    private static boolean isReservedV4(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        int a = address.getAddress()[0] & 0xff;
        return a == 0 || a >= 240;
    }
}
