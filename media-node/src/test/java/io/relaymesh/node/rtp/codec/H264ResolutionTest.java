package io.relaymesh.node.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Picture sizes from sequence parameter sets that x264 (through ffmpeg) wrote for test pictures of known size:
 * `ffmpeg -f lavfi -i testsrc=size=WxH -frames:v 1 -c:v libx264 -profile:v P -f h264`, the SPS NAL unit cut from
 * the Annex B stream. They carry emulation prevention bytes, cropping (180, 270 and 1080 are not multiples of 16)
 * and baseline, main and high profiles.
 */
class H264ResolutionTest {

    private final H264Resolution reader = new H264Resolution();

    @ParameterizedTest(name = "{0} {1}x{2}")
    @CsvSource({
        "baseline, 1280, 720,  6742c01fd9005005bb0110000003001000000303c0f1832480",
        "baseline, 320,  180,  6742c00dd901419f9f0110000003001000000303c0f142a480",
        "high,     1920, 1080, 67640028acd940780227e5c044000003000400000300f03c60c658",
        "main,     640,  360,  674d401eeca05017fcb80880000003008000001e078b16cb",
        "high,     480,  270,  67640015acd941e08feb0110000003001000000303c0f162d960"
    })
    void sizeOfASingleNalSpsAndOfOneInsideAStapA(String profile, int width, int height, String sps)
            throws ProtocolException {
        byte[] nal = HexFormat.of().parseHex(sps);
        ByteBuf single = Unpooled.buffer().writeZero(7).writeBytes(nal);
        assertThat(reader.readPayload(single, 7, nal.length)).isTrue();
        assertThat(reader.width()).isEqualTo(width);
        assertThat(reader.height()).isEqualTo(height);

        // STAP-A: an SEI first, then the SPS, then a PPS, at a non-zero offset
        ByteBuf stap = Unpooled.buffer().writeZero(3).writeByte(0x78)
                .writeShort(3).writeBytes(new byte[] {0x06, 0x05, (byte) 0x80})
                .writeShort(nal.length).writeBytes(nal)
                .writeShort(4).writeBytes(new byte[] {0x68, (byte) 0xce, 0x3c, (byte) 0x80});
        H264Resolution other = new H264Resolution();
        assertThat(other.readPayload(stap, 3, stap.writerIndex() - 3)).isTrue();
        assertThat(other.width()).isEqualTo(width);
        assertThat(other.height()).isEqualTo(height);
    }

    @Test
    void payloadsWithoutAnSpsSayNoAndKeepTheLastSize() throws ProtocolException {
        ByteBuf idr = Unpooled.wrappedBuffer(HexFormat.of().parseHex("65888000"));
        assertThat(reader.readPayload(idr, 0, 4)).isFalse();
        ByteBuf fuA = Unpooled.wrappedBuffer(HexFormat.of().parseHex("7c85888000"));
        assertThat(reader.readPayload(fuA, 0, 5)).isFalse();
        ByteBuf stapWithoutSps = Unpooled.wrappedBuffer(HexFormat.of().parseHex("78" + "0002" + "68ce" + "0003" + "658880"));
        assertThat(reader.readPayload(stapWithoutSps, 0, stapWithoutSps.readableBytes())).isFalse();
        assertThat(reader.readPayload(idr, 0, 0)).isFalse();
        assertThat(reader.width()).isZero();
    }

    @Test
    void everyTruncationIsRejectedWithAReasonOrStillReadsTheRightSize() {
        byte[] nal = HexFormat.of().parseHex("67640028acd940780227e5c044000003000400000300f03c60c658");
        for (int length = 1; length < nal.length; length++) {
            ByteBuf b = Unpooled.wrappedBuffer(nal, 0, length);
            H264Resolution r = new H264Resolution();
            try {
                r.readSps(b, 0, length);
                // the size fields end before the VUI: a cut after them still reads the full size
                assertThat(r.width()).as("cut at %d", length).isEqualTo(1920);
                assertThat(r.height()).as("cut at %d", length).isEqualTo(1080);
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).as("cut at %d", length).containsAnyOf("truncated", "no payload");
            }
        }
        ByteBuf stap = Unpooled.wrappedBuffer(HexFormat.of().parseHex("78" + "0010" + "6742"));
        assertThatThrownBy(() -> reader.readPayload(stap, 0, stap.readableBytes()))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("STAP-A NAL unit of 16 bytes");
        ByteBuf stapTail = Unpooled.wrappedBuffer(HexFormat.of().parseHex("78" + "0002" + "68ce" + "00"));
        assertThatThrownBy(() -> reader.readPayload(stapTail, 0, stapTail.readableBytes()))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("STAP-A truncated");
    }

    @Test
    void mutatedSpsOnlyEverRaisesProtocolException() {
        byte[] base = HexFormat.of().parseHex("67640028acd940780227e5c044000003000400000300f03c60c658");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = base.clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                m[1 + random.nextInt(m.length - 1)] = (byte) random.nextInt(256);
            }
            ByteBuf b = Unpooled.wrappedBuffer(m);
            try {
                reader.readSps(b, 0, m.length);
                assertThat(reader.width()).isPositive();
                assertThat(reader.height()).isPositive();
            } catch (ProtocolException expected) {
                assertThat(expected.getMessage()).startsWith("SPS");
            }
        }
    }
}
