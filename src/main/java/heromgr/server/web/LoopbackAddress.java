package heromgr.server.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the HTTP listener binds: a loopback IP literal (or "localhost") and a port, 0 for any free one. A name is
 * never resolved through DNS and any other address is refused: the listener is for this machine only.
 */
public record LoopbackAddress(InetAddress address, int port) {
    /** The daemon's environment variable that asks for the listener, as `heromgr daemon --http` does. */
    public static final String VARIABLE = "HEROMGR_HTTP";
    private static final String NOT_LOOPBACK = "not a loopback address; the listener binds 127.0.0.1, ::1 or localhost only";

    public LoopbackAddress {
        if (!address.isLoopbackAddress()) throw new IllegalArgumentException(NOT_LOOPBACK);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 0..65535");
    }

    /** Parses "127.0.0.1:8080", "localhost:0", "[::1]:0"; the error names the text and what is wrong with it. */
    public static LoopbackAddress parse(String text) {
        return parse(text, "--http");
    }

    /** As {@link #parse(String)}, the error naming the text as what (an option, a param). */
    public static LoopbackAddress parse(String text, String what) {
        try {
            String value = text.strip();
            int colon = value.lastIndexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("expected HOST:PORT, e.g. 127.0.0.1:0");
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the port is not a number");
            }
            return new LoopbackAddress(literal(host), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + text + ": " + e.getMessage(), e);
        }
    }

    private static InetAddress literal(String host) {
        if ("localhost".equalsIgnoreCase(host)) return InetAddress.getLoopbackAddress();
        // only IP literals: getByName on a name would ask DNS, which may answer anything
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) throw new IllegalArgumentException(NOT_LOOPBACK);
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address");
        }
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        String host = address.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
