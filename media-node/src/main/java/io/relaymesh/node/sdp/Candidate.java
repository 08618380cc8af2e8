package io.relaymesh.node.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An ICE candidate attribute value (RFC 8839 section 5.1):
 * <pre>
 * candidate:&lt;foundation&gt; &lt;component&gt; &lt;transport&gt; &lt;priority&gt; &lt;address&gt; &lt;port&gt; typ &lt;type&gt;
 *           [raddr &lt;address&gt;] [rport &lt;port&gt;] *(&lt;extension name&gt; &lt;extension value&gt;)
 * </pre>
 * Extensions ({@code generation}, {@code ufrag}, {@code network-id}, {@code tcptype}, ...) are kept in order.
 *
 * @param relatedAddress "" when absent
 * @param relatedPort    -1 when absent
 */
public record Candidate(String foundation, int component, String transport, long priority, String address, int port,
                        String type, String relatedAddress, int relatedPort, List<Extension> extensions) {

    /** One {@code <name> <value>} pair after the mandatory fields. */
    public record Extension(String name, String value) {
    }

    public Candidate {
        extensions = List.copyOf(extensions);
    }

    /** Parses the attribute value, with or without the leading {@code candidate:}. */
    public static Candidate parse(String text) throws SdpException {
        String value = text.startsWith("candidate:") ? text.substring("candidate:".length()) : text;
        List<String> w = SdpSyntax.words(value);
        if (w.size() < 8) {
            throw new SdpException("a=candidate needs at least 8 fields (foundation component transport priority"
                    + " address port typ type), got " + w.size());
        }
        String foundation = w.get(0);
        if (foundation.length() > 32 || !SdpSyntax.isIceChars(foundation)) {
            throw new SdpException("bad candidate foundation '" + SdpSyntax.abbreviate(foundation)
                    + "' (1-32 ice-chars)");
        }
        int component = SdpSyntax.parseInt(w.get(1), 1, 256, "candidate component id");
        String transport = SdpSyntax.requireToken(w.get(2), "candidate transport");
        long priority = SdpSyntax.parseLong(w.get(3), 1, 0xFFFF_FFFFL, "candidate priority");
        String address = w.get(4);
        if (address.length() > 255) {
            throw new SdpException("candidate address longer than 255 characters");
        }
        int port = SdpSyntax.parsePort(w.get(5), "candidate port");
        if (!w.get(6).equals("typ")) {
            throw new SdpException("candidate field 7 must be 'typ', got '" + SdpSyntax.abbreviate(w.get(6)) + "'");
        }
        String type = SdpSyntax.requireToken(w.get(7), "candidate type");
        int i = 8;
        String relatedAddress = "";
        int relatedPort = -1;
        if (i + 1 < w.size() && w.get(i).equals("raddr")) {
            relatedAddress = w.get(i + 1);
            i += 2;
        }
        if (i + 1 < w.size() && w.get(i).equals("rport")) {
            relatedPort = SdpSyntax.parsePort(w.get(i + 1), "candidate rport");
            i += 2;
        }
        if ((w.size() - i) % 2 != 0) {
            throw new SdpException("candidate extension '" + SdpSyntax.abbreviate(w.get(w.size() - 1))
                    + "' has no value");
        }
        List<Extension> extensions = new ArrayList<>();
        for (; i < w.size(); i += 2) {
            if (w.get(i).equals("raddr") || w.get(i).equals("rport")) {
                throw new SdpException("candidate " + w.get(i) + " out of place (raddr then rport, right after typ)");
            }
            extensions.add(new Extension(SdpSyntax.requireToken(w.get(i), "candidate extension name"), w.get(i + 1)));
        }
        return new Candidate(foundation, component, transport, priority, address, port, type, relatedAddress,
                relatedPort, extensions);
    }

    public Optional<String> extension(String name) {
        for (Extension e : extensions) {
            if (e.name().equals(name)) {
                return Optional.of(e.value());
            }
        }
        return Optional.empty();
    }

    public Optional<String> ufrag() {
        return extension("ufrag");
    }

    public OptionalInt generation() {
        Optional<String> g = extension("generation");
        if (g.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(g.get()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    /** The attribute value without the {@code candidate:} name. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(foundation).append(' ').append(component).append(' ').append(transport).append(' ')
                .append(priority).append(' ').append(address).append(' ').append(port).append(" typ ").append(type);
        if (!relatedAddress.isEmpty()) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            sb.append(" rport ").append(relatedPort);
        }
        for (Extension e : extensions) {
            sb.append(' ').append(e.name()).append(' ').append(e.value());
        }
        return sb.toString();
    }
}
