package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyframeDetectorTest {

    static Stream<Arguments> payloads() {
        return Stream.of(
                // VP8 (RFC 7741): descriptor |X|R|N|S|R|PID|, then the VP8 header whose lowest bit P is 0 on keyframes
                Arguments.of(MediaCodec.VP8, "10" + "b0012a", true, "S=1 PID=0, no extension, P=0"),
                Arguments.of(MediaCodec.VP8, "10" + "b1012a", false, "P=1: delta frame"),
                Arguments.of(MediaCodec.VP8, "00" + "b0012a", false, "S=0: not the frame's first packet"),
                Arguments.of(MediaCodec.VP8, "11" + "b0012a", false, "PID=1"),
                Arguments.of(MediaCodec.VP8, "90" + "80" + "7f" + "b0", true, "X, I, 7-bit picture id"),
                Arguments.of(MediaCodec.VP8, "90" + "80" + "ff01" + "b0", true, "X, I, 15-bit picture id"),
                Arguments.of(MediaCodec.VP8, "90" + "80" + "ff01" + "b1", false, "15-bit picture id, P=1"),
                Arguments.of(MediaCodec.VP8, "90" + "f0" + "8123" + "05" + "40" + "b0", true, "I, L, T, K all present"),
                Arguments.of(MediaCodec.VP8, "90" + "e0" + "0a" + "05" + "40" + "b0", true, "7-bit id, L, T"),
                Arguments.of(MediaCodec.VP8, "90" + "00" + "b0", true, "X with no optional fields"),
                // VP9 (RFC 9628): |I|P|L|F|B|E|V|Z|
                Arguments.of(MediaCodec.VP9, "08", true, "non-flexible, no layers, B=1 P=0"),
                Arguments.of(MediaCodec.VP9, "48", false, "P=1: inter-predicted"),
                Arguments.of(MediaCodec.VP9, "04", false, "B=0: not the beginning of a frame"),
                Arguments.of(MediaCodec.VP9, "a8" + "7f" + "00" + "00", true, "I, L: 7-bit id, SID 0, TL0PICIDX"),
                Arguments.of(MediaCodec.VP9, "a8" + "8123" + "02" + "00", false, "I, L: 15-bit id, SID 1"),
                Arguments.of(MediaCodec.VP9, "b8" + "8123" + "00", true, "flexible mode, SID 0"),
                Arguments.of(MediaCodec.VP9, "38" + "04", false, "flexible, no picture id, SID 2"),
                // H264 (RFC 6184): NAL header |F|NRI|Type|
                Arguments.of(MediaCodec.H264, "65" + "888000", true, "single NAL: IDR slice"),
                Arguments.of(MediaCodec.H264, "67" + "42c01f", true, "single NAL: SPS"),
                Arguments.of(MediaCodec.H264, "41" + "9a0000", false, "single NAL: non-IDR slice"),
                Arguments.of(MediaCodec.H264, "18" + "0004" + "67" + "42c01f" + "0002" + "68ce" + "0003" + "658880", true,
                        "STAP-A: SPS, PPS, IDR"),
                Arguments.of(MediaCodec.H264, "18" + "0002" + "68ce" + "0003" + "658880", true, "STAP-A: PPS then IDR"),
                Arguments.of(MediaCodec.H264, "18" + "0002" + "06ff" + "0002" + "41aa", false, "STAP-A: SEI, slice"),
                Arguments.of(MediaCodec.H264, "7c" + "85" + "888000", true, "FU-A start of an IDR"),
                Arguments.of(MediaCodec.H264, "7c" + "05" + "888000", false, "FU-A continuation of an IDR"),
                Arguments.of(MediaCodec.H264, "7c" + "81" + "9a0000", false, "FU-A start of a non-IDR slice"),
                // AV1 (AV1 RTP specification 4.4): aggregation header |Z|Y|W W|N|-|-|-|, then OBUs
                Arguments.of(MediaCodec.AV1, "18" + "0a0b", true, "N=1, W=1: a new coded video sequence starts"),
                Arguments.of(MediaCodec.AV1, "08" + "0a", true, "N=1, W=0"),
                Arguments.of(MediaCodec.AV1, "10" + "32", false, "N=0: a frame within the sequence"),
                Arguments.of(MediaCodec.AV1, "88" + "00", false, "Z=1: continues an OBU from the previous packet"),
                Arguments.of(MediaCodec.OPUS, "fc", false, "audio is never a keyframe"));
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("payloads")
    void detectsTheStartOfAKeyframe(MediaCodec codec, String hex, boolean keyframe, String what) {
        ByteBuf b = atOffset(HexFormat.of().parseHex(hex));
        try {
            assertThat(KeyframeDetector.isKeyframeStart(codec, b, b.readerIndex(), b.readableBytes())).isEqualTo(keyframe);
        } finally {
            b.release();
        }
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("payloads")
    void everyTruncationIsReadWithoutThrowing(MediaCodec codec, String hex, boolean keyframe, String what) {
        byte[] full = HexFormat.of().parseHex(hex);
        for (int length = 0; length < full.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(full, length);
            // The buffer ends where the payload ends: any read past it would throw.
            ByteBuf b = atOffset(cut).capacity(3 + length);
            int len = length;
            try {
                assertThatCode(() -> KeyframeDetector.isKeyframeStart(codec, b, b.readerIndex(), len))
                        .as("%d of %d bytes", length, full.length).doesNotThrowAnyException();
            } finally {
                b.release();
            }
        }
    }

    private static ByteBuf atOffset(byte[] payload) {
        ByteBuf b = Unpooled.buffer(3 + payload.length);
        b.writeBytes(new byte[] {1, 2, 3}).readerIndex(3);
        return b.writeBytes(payload);
    }
}
