package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bounds-checked field codecs shared by the relay control messages: short UTF-8 strings and fixed ints. */
final class WireFields {

    /** Longest string field (room names, track ids, peers) in bytes. */
    static final int MAX_STRING = 128;

    private WireFields() {
    }

    static void need(ByteBuf in, int bytes, String what) throws ProtocolException {
        if (in.readableBytes() < bytes) {
            throw new ProtocolException("truncated " + what + ": " + bytes + " bytes needed, "
                    + in.readableBytes() + " left");
        }
    }

    /** A string of 1..{@link #MAX_STRING} UTF-8 bytes after a one-byte length. */
    static String readString(ByteBuf in, String what) throws ProtocolException {
        need(in, 1, what + " length");
        int length = in.readUnsignedByte();
        if (length == 0 || length > MAX_STRING) {
            throw new ProtocolException(what + " length " + length + " outside 1.." + MAX_STRING);
        }
        need(in, length, what);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(what + " is not UTF-8", e);
        }
    }

    static int stringLength(String value) {
        return 1 + value.getBytes(StandardCharsets.UTF_8).length;
    }

    static void writeString(ByteBuf out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeByte(bytes.length);
        out.writeBytes(bytes);
    }

    static String requireString(String value, String what) {
        int length = value.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length > MAX_STRING) {
            throw new IllegalArgumentException(what + " must be 1.." + MAX_STRING + " UTF-8 bytes: " + value);
        }
        return value;
    }

    /** An address: family (1: 4 or 6), 4 or 16 address bytes, port (2, not 0). */
    static InetSocketAddress readAddress(ByteBuf in) throws ProtocolException {
        need(in, 1, "address family");
        int family = in.readUnsignedByte();
        int ipLength = switch (family) {
            case 4 -> 4;
            case 6 -> 16;
            default -> throw new ProtocolException("unknown address family " + family);
        };
        need(in, ipLength + 2, "relay address");
        byte[] ip = new byte[ipLength];
        in.readBytes(ip);
        int port = in.readUnsignedShort();
        if (port == 0) {
            throw new ProtocolException("relay port 0");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new ProtocolException("bad relay address", e);
        }
    }

    static void requireEnd(ByteBuf in, String what) throws ProtocolException {
        if (in.isReadable()) {
            throw new ProtocolException(in.readableBytes() + " trailing bytes after " + what);
        }
    }
}
