package dev.ffdispatch.store;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where to send a worker's Wake-on-LAN magic packet: its network card's MAC address and the UDP
 * destination (by default the local broadcast address, port 9, "discard"). The constructor
 * validates and normalises both, so an instance is always usable.
 *
 * @param mac six bytes as {@code aa:bb:cc:dd:ee:ff} (given with ':', '-' or nothing between)
 * @param to {@code host:port} ({@code [v6]:port} for IPv6); null or blank = {@link #DEFAULT_TO}
 * @throws StoreException INVALID naming the bad value and what is accepted
 */
public record WakeOnLan(String mac, String to) {
    /** The limited broadcast address on the discard port: reaches every machine on this LAN segment. */
    public static final String DEFAULT_TO = "255.255.255.255:9";
    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}([:-]?)[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");
    private static final Pattern TO = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})");

    public WakeOnLan {
        if (mac == null || !MAC.matcher(mac.strip()).matches()) {
            throw new StoreException(StoreException.Kind.INVALID, "--wake-mac '" + mac + "' is not a MAC address;"
                + " give six hex bytes like 00:11:22:33:44:55 (see 'ip link' on the worker)");
        }
        String hex = mac.strip().replaceAll("[:-]", "").toLowerCase(Locale.ROOT);
        mac = String.join(":", hex.substring(0, 2), hex.substring(2, 4), hex.substring(4, 6), hex.substring(6, 8),
            hex.substring(8, 10), hex.substring(10, 12));
        to = to == null || to.isBlank() ? DEFAULT_TO : to.strip();
        Matcher m = TO.matcher(to);
        if (!m.matches() || Integer.parseInt(m.group(3)) < 1 || Integer.parseInt(m.group(3)) > 65535) {
            throw new StoreException(StoreException.Kind.INVALID, "--wake-to '" + to + "' is not HOST:PORT with a port"
                + " 1..65535; e.g. 192.168.1.255:9 (the LAN's broadcast address) or " + DEFAULT_TO);
        }
        if (mac.equals("00:00:00:00:00:00") || mac.equals("ff:ff:ff:ff:ff:ff")) {
            throw new StoreException(StoreException.Kind.INVALID, "--wake-mac '" + mac + "' is not a network card's"
                + " address; give the worker's MAC (see 'ip link' on the worker)");
        }
    }

    /** The six bytes of the MAC address. */
    public byte[] macBytes() {
        return HexFormat.of().parseHex(mac.replace(":", ""));
    }

    /** The destination host or address, without brackets. */
    public String toHost() {
        Matcher m = TO.matcher(to);
        m.matches();
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The destination UDP port. */
    public int toPort() {
        Matcher m = TO.matcher(to);
        m.matches();
        return Integer.parseInt(m.group(3));
    }
}
