package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Field codecs shared by the cluster wire types: length-prefixed UTF-8 strings and socket addresses. Every
 * read checks the readable bytes first, so a truncated message becomes a {@link ProtocolException}.
 *
 * <pre>
 * string:  length (1 byte) | UTF-8 bytes
 * address: family (1 byte: 0 none, 4 IPv4, 6 IPv6) | 4 or 16 address bytes | port (2 bytes)
 * </pre>
 */
final class Fields {

    static final int FAMILY_NONE = 0;
    static final int FAMILY_IPV4 = 4;
    static final int FAMILY_IPV6 = 6;

    private Fields() {
    }

    static void need(ByteBuf in, int bytes, String what) throws ProtocolException {
        if (in.readableBytes() < bytes) {
            throw new ProtocolException("truncated " + what + ": needs " + bytes + " bytes, " + in.readableBytes() + " left");
        }
    }

    static String readString(ByteBuf in, int minLength, int maxLength, String what) throws ProtocolException {
        need(in, 1, what + " length");
        int length = in.readUnsignedByte();
        if (length < minLength || length > maxLength) {
            throw new ProtocolException(what + " length " + length + " outside " + minLength + ".." + maxLength);
        }
        need(in, length, what);
        ByteBuffer bytes = in.nioBuffer(in.readerIndex(), length);
        in.skipBytes(length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(what + " is not valid UTF-8");
        }
    }

    static int stringLength(String value) {
        return 1 + utf8Length(value);
    }

    static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    static void writeString(ByteBuf out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeByte(bytes.length);
        out.writeBytes(bytes);
    }

    /** Checks a string a writer is about to send against the limit its reader enforces. */
    static String requireString(String value, int minLength, int maxLength, String what) {
        int length = utf8Length(value);
        if (length < minLength || length > maxLength) {
            throw new IllegalArgumentException(what + " must be " + minLength + ".." + maxLength + " UTF-8 bytes, got " + length);
        }
        return value;
    }

    static Optional<InetSocketAddress> readAddress(ByteBuf in, String what) throws ProtocolException {
        need(in, 1, what + " family");
        int family = in.readUnsignedByte();
        int length = switch (family) {
            case FAMILY_NONE -> 0;
            case FAMILY_IPV4 -> 4;
            case FAMILY_IPV6 -> 16;
            default -> throw new ProtocolException(what + ": unknown address family " + family);
        };
        if (family == FAMILY_NONE) {
            return Optional.empty();
        }
        need(in, length + 2, what);
        byte[] address = new byte[length];
        in.readBytes(address);
        int port = in.readUnsignedShort();
        if (port == 0) {
            throw new ProtocolException(what + ": port 0");
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(address), port));
        } catch (UnknownHostException e) {
            throw new ProtocolException(what + ": bad address", e); // unreachable: the length is 4 or 16
        }
    }

    static int addressLength(Optional<InetSocketAddress> address) {
        return address.map(a -> 1 + a.getAddress().getAddress().length + 2).orElse(1);
    }

    static void writeAddress(ByteBuf out, Optional<InetSocketAddress> address) {
        if (address.isEmpty()) {
            out.writeByte(FAMILY_NONE);
            return;
        }
        byte[] bytes = address.get().getAddress().getAddress();
        out.writeByte(bytes.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
        out.writeBytes(bytes);
        out.writeShort(address.get().getPort());
    }

    /** Addresses on the wire are resolved IP addresses with a port. */
    static InetSocketAddress requireAddress(InetSocketAddress address, String what) {
        if (address.isUnresolved() || address.getPort() == 0) {
            throw new IllegalArgumentException(what + " must be a resolved IP address with a port, got " + address);
        }
        return address;
    }
}
