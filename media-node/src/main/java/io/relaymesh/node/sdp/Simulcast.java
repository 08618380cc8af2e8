package io.relaymesh.node.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=simulcast:[send <list>] [recv <list>]} (RFC 8853 section 5.1). Each list is a {@code ;}-separated
 * sequence of simulcast streams, each a {@code ,}-separated set of alternative rids; a {@code ~} prefix marks a
 * stream as paused. Example: {@code a=simulcast:send h;m;~l}.
 */
public record Simulcast(List<List<Stream>> send, List<List<Stream>> recv) {

    /** One rid in a simulcast list. */
    public record Stream(String rid, boolean paused) {

        @Override
        public String toString() {
            return (paused ? "~" : "") + rid;
        }
    }

    public Simulcast {
        send = send.stream().map(List::copyOf).toList();
        recv = recv.stream().map(List::copyOf).toList();
    }

    static Simulcast parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() != 2 && w.size() != 4) {
            throw new SdpException("a=simulcast must be 'send <list>' and/or 'recv <list>', got '"
                    + SdpSyntax.abbreviate(value) + "'");
        }
        List<List<Stream>> send = List.of();
        List<List<Stream>> recv = List.of();
        boolean sawSend = false;
        boolean sawRecv = false;
        for (int i = 0; i < w.size(); i += 2) {
            List<List<Stream>> list = parseList(w.get(i + 1));
            switch (w.get(i)) {
                case "send" -> {
                    if (sawSend) {
                        throw new SdpException("a=simulcast has two send lists");
                    }
                    sawSend = true;
                    send = list;
                }
                case "recv" -> {
                    if (sawRecv) {
                        throw new SdpException("a=simulcast has two recv lists");
                    }
                    sawRecv = true;
                    recv = list;
                }
                default -> throw new SdpException("bad a=simulcast direction '" + SdpSyntax.abbreviate(w.get(i))
                        + "' (expected send or recv)");
            }
        }
        return new Simulcast(send, recv);
    }

    private static List<List<Stream>> parseList(String text) throws SdpException {
        // Drafts before RFC 8853 (old Firefox) prefixed the list with "rid=".
        String list = text.startsWith("rid=") ? text.substring(4) : text;
        List<List<Stream>> out = new ArrayList<>();
        for (String alternatives : list.split(";", -1)) {
            List<Stream> alt = new ArrayList<>();
            for (String id : alternatives.split(",", -1)) {
                boolean paused = id.startsWith("~");
                alt.add(new Stream(Rid.requireRidId(paused ? id.substring(1) : id), paused));
            }
            out.add(alt);
        }
        return out;
    }

    /** The same lists as seen by the other side (send and recv swapped), as an answer echoes them. */
    public Simulcast reversed() {
        return new Simulcast(recv, send);
    }

    /** All rid ids mentioned in the send list, in order. */
    public List<String> sendRids() {
        return send.stream().flatMap(List::stream).map(Stream::rid).toList();
    }

    public List<String> recvRids() {
        return recv.stream().flatMap(List::stream).map(Stream::rid).toList();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!send.isEmpty()) {
            sb.append("send ").append(format(send));
        }
        if (!recv.isEmpty()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append("recv ").append(format(recv));
        }
        return sb.toString();
    }

    private static String format(List<List<Stream>> list) {
        StringBuilder sb = new StringBuilder();
        for (List<Stream> alt : list) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            for (int i = 0; i < alt.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(alt.get(i));
            }
        }
        return sb.toString();
    }
}
