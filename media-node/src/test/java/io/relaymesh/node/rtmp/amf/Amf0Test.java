package io.relaymesh.node.rtmp.amf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Amf0Test {

    /** {@code _result, 1, {fmsVer: "FMS/3"}, null} as the AMF0 specification lays it out. */
    private static final String GOLDEN = String.join("",
            "02", "0007", "5f726573756c74",                 // string "_result"
            "00", "3ff0000000000000",                       // number 1.0
            "03",                                           // object
            "0006", "666d73566572", "02", "0005", "464d532f33", // "fmsVer": "FMS/3"
            "0000", "09",                                   // object end
            "05");                                          // null

    @Test
    void encodesACommandAsTheSpecificationLaysItOut() {
        ByteBuf out = Unpooled.buffer();
        try {
            Amf0.encode(out, "_result", 1.0, Map.of("fmsVer", "FMS/3"), null);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(GOLDEN);
        } finally {
            out.release();
        }
    }

    @Test
    void decodesEveryValueAtANonZeroOffset() throws ProtocolException {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("n", 2.5);
        nested.put("list", List.of(true, "x", Amf0.Marker.UNDEFINED));
        nested.put("when", Instant.ofEpochMilli(1_700_000_000_123L));
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeZero(7);
            buf.readerIndex(7);
            Amf0.encode(buf, "connect", 1, nested, Amf0.Marker.NULL, "é".repeat(3), false);
            List<Object> values = Amf0.decodeAll(buf);
            assertThat(values).containsExactly("connect", 1.0, nested, Amf0.Marker.NULL, "ééé", false);
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void decodesAnEcmaArrayAsAMap() throws ProtocolException {
        // onMetaData's ECMA array: count hint 2, then properties until the end marker
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(
                "08" + "00000002" + "0005" + "776964746800" + "4094000000000000" + "0006" + "73746572656f" + "0101"
                        + "000009"));
        try {
            Object value = Amf0.decode(buf);
            assertThat(value).isEqualTo(Map.of("width", 1280.0, "stereo", true));
        } finally {
            buf.release();
        }
    }

    @Test
    void everyTruncationIsRefusedWithAReason() {
        byte[] whole = HexFormat.of().parseHex(GOLDEN);
        for (int length = 1; length < whole.length; length++) {
            ByteBuf buf = Unpooled.wrappedBuffer(whole, 0, length);
            try {
                // a prefix that ends exactly between two values decodes; any other prefix is refused
                Amf0.decodeAll(buf);
                assertThat(length).as("prefix of %d bytes decoded", length).isIn(10, 19, 39);
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).startsWith("AMF0:");
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"04", "07", "0d", "0f", "10", "11", "ff", "09"})
    void unsupportedMarkersAreRefused(String marker) {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(marker + "00000000"));
        try {
            assertThatThrownBy(() -> Amf0.decode(buf)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("AMF0");
        } finally {
            buf.release();
        }
    }

    @Test
    void nestingIsBounded() {
        ByteBuf buf = Unpooled.buffer();
        try {
            for (int i = 0; i < Amf0.MAX_DEPTH + 2; i++) {
                buf.writeByte(0x0A).writeInt(1); // strict array of one element, nested
            }
            buf.writeByte(0x05);
            assertThatThrownBy(() -> Amf0.decode(buf)).hasMessageContaining("nesting deeper");
        } finally {
            buf.release();
        }
    }

    @Test
    void hugeLengthsAreRefusedBeforeAllocating() {
        ByteBuf longString = Unpooled.wrappedBuffer(HexFormat.of().parseHex("0c7fffffff41"));
        ByteBuf array = Unpooled.wrappedBuffer(HexFormat.of().parseHex("0a7fffffff"));
        try {
            assertThatThrownBy(() -> Amf0.decode(longString)).hasMessageContaining("exceeds");
            assertThatThrownBy(() -> Amf0.decode(array)).hasMessageContaining("exceeds");
        } finally {
            longString.release();
            array.release();
        }
    }
}
