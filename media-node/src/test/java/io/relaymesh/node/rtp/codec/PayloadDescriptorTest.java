package io.relaymesh.node.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadDescriptorTest {

    static final byte[] VP8_FULL = hex("""
            90      X=1 R=0 N=0 S=1 R=0 PID=0
            f0      I=1 L=1 T=1 K=1 RSV=0
            81 2c   M=1 picture id 300 (15 bits)
            05      TL0PICIDX 5
            a3      TID=2 Y=1 KEYIDX=3
            10      VP8 payload header: P=0, a key frame
            """);

    static final byte[] VP9_KEYFRAME_WITH_SS = hex("""
            aa      I=1 P=0 L=1 F=0 B=1 E=0 V=1 Z=0 (non-flexible)
            80 01   M=1 picture id 1 (15 bits)
            00      TID=0 U=0 SID=0 D=0
            07      TL0PICIDX 7
            38      SS: N_S=1 (two spatial layers) Y=1 G=1
            01 40 00 b4     layer 0: 320 x 180
            02 80 01 68     layer 1: 640 x 360
            02      N_G=2
            00      picture 0: TID=0 U=0 R=0
            34 01   picture 1: TID=1 U=1 R=1, P_DIFF 1
            c0      frame data
            """);

    static final byte[] VP9_FLEXIBLE = hex("""
            f5      I=1 P=1 L=1 F=1 B=0 E=1 V=0 Z=1 (flexible)
            2a      M=0 picture id 42 (7 bits)
            53      TID=2 U=1 SID=1 D=1
            03      P_DIFF 1, N=1
            04      P_DIFF 2, N=0
            c0      frame data
            """);

    @Test
    void vp8DescriptorDecodesFieldByField() throws ProtocolException {
        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor().wrap(Unpooled.wrappedBuffer(VP8_FULL), 0, VP8_FULL.length);
        assertThat(vp8.encodedLength()).isEqualTo(6);
        assertThat(vp8.startOfFrame()).isTrue();
        assertThat(vp8.nonReference()).isFalse();
        assertThat(vp8.pictureId()).isEqualTo(300);
        assertThat(vp8.pictureIdLength()).isEqualTo(2);
        assertThat(vp8.tl0PicIdx()).isEqualTo(5);
        assertThat(vp8.temporalId()).isEqualTo(2);
        assertThat(vp8.layerSync()).isTrue();
        assertThat(vp8.keyIndex()).isEqualTo(3);
        assertThat(vp8.keyFrame()).isTrue();
    }

    @Test
    void vp8MinimalAndShortFormsReadAbsentFieldsAsMinusOne() throws ProtocolException {
        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
        vp8.wrap(Unpooled.wrappedBuffer(hex("21 01")), 0, 2); // N=1, PID=1; an interframe payload
        assertThat(vp8.encodedLength()).isEqualTo(1);
        assertThat(vp8.nonReference()).isTrue();
        assertThat(vp8.partitionIndex()).isEqualTo(1);
        assertThat(vp8.pictureId()).isEqualTo(-1);
        assertThat(vp8.tl0PicIdx()).isEqualTo(-1);
        assertThat(vp8.temporalId()).isEqualTo(-1);
        assertThat(vp8.keyFrame()).isFalse();
        vp8.wrap(Unpooled.wrappedBuffer(hex("90 80 7f 01")), 0, 4); // 7-bit picture id 127
        assertThat(vp8.pictureId()).isEqualTo(127);
        assertThat(vp8.pictureIdLength()).isEqualTo(1);
        assertThat(vp8.keyFrame()).isFalse();
    }

    @Test
    void vp8RewritesKeepTheFieldWidthAndTouchNothingElse() throws ProtocolException {
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(hex("de ad be")).writeBytes(VP8_FULL);
        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor().wrap(buf, 3, buf.writerIndex());
        vp8.setPictureId(40_000); // wraps to 40000 - 32768
        vp8.setTl0PicIdx(300);
        Vp8PayloadDescriptor reread = new Vp8PayloadDescriptor().wrap(buf, 3, buf.writerIndex());
        assertThat(reread.pictureId()).isEqualTo(7232);
        assertThat(reread.pictureIdLength()).isEqualTo(2);
        assertThat(reread.tl0PicIdx()).isEqualTo(44);
        assertThat(ByteBufUtil.getBytes(buf)).containsExactly(hex("de ad be 90 f0 9c 40 2c a3 10"));

        ByteBuf shortId = Unpooled.wrappedBuffer(hex("90 80 7f 01"));
        new Vp8PayloadDescriptor().wrap(shortId, 0, 4).setPictureId(200);
        assertThat(new Vp8PayloadDescriptor().wrap(shortId, 0, 4).pictureId()).isEqualTo(72);
        assertThatThrownBy(() -> new Vp8PayloadDescriptor().wrap(shortId, 0, 4).setTl0PicIdx(1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void vp9NonFlexibleKeyFrameWithScalabilityStructure() throws ProtocolException {
        Vp9PayloadDescriptor vp9 = new Vp9PayloadDescriptor()
                .wrap(Unpooled.wrappedBuffer(VP9_KEYFRAME_WITH_SS), 0, VP9_KEYFRAME_WITH_SS.length);
        assertThat(vp9.encodedLength()).isEqualTo(VP9_KEYFRAME_WITH_SS.length - 1);
        assertThat(vp9.flexible()).isFalse();
        assertThat(vp9.keyFrame()).isTrue();
        assertThat(vp9.startOfFrame()).isTrue();
        assertThat(vp9.endOfFrame()).isFalse();
        assertThat(vp9.pictureId()).isEqualTo(1);
        assertThat(vp9.temporalId()).isZero();
        assertThat(vp9.spatialId()).isZero();
        assertThat(vp9.tl0PicIdx()).isEqualTo(7);
        assertThat(vp9.hasScalabilityStructure()).isTrue();
        assertThat(vp9.spatialLayers()).isEqualTo(2);
        assertThat(vp9.width(0)).isEqualTo(320);
        assertThat(vp9.height(0)).isEqualTo(180);
        assertThat(vp9.width(1)).isEqualTo(640);
        assertThat(vp9.height(1)).isEqualTo(360);
        assertThat(vp9.pictureGroupSize()).isEqualTo(2);
        assertThat(vp9.pictureGroupTemporalId(1)).isEqualTo(1);
        assertThat(vp9.pictureGroupSwitchingUp(1)).isTrue();
        assertThat(vp9.pictureGroupReferenceCount(0)).isZero();
        assertThat(vp9.pictureGroupReferenceCount(1)).isEqualTo(1);
        assertThat(vp9.pictureGroupReference(1, 0)).isEqualTo(1);
    }

    @Test
    void vp9FlexibleModeCarriesReferenceDiffsAndNoTl0PicIdx() throws ProtocolException {
        Vp9PayloadDescriptor vp9 = new Vp9PayloadDescriptor()
                .wrap(Unpooled.wrappedBuffer(VP9_FLEXIBLE), 0, VP9_FLEXIBLE.length);
        assertThat(vp9.encodedLength()).isEqualTo(5);
        assertThat(vp9.flexible()).isTrue();
        assertThat(vp9.interPicturePredicted()).isTrue();
        assertThat(vp9.keyFrame()).isFalse();
        assertThat(vp9.endOfFrame()).isTrue();
        assertThat(vp9.notReferenceForUpperSpatialLayers()).isTrue();
        assertThat(vp9.pictureId()).isEqualTo(42);
        assertThat(vp9.temporalId()).isEqualTo(2);
        assertThat(vp9.switchingUp()).isTrue();
        assertThat(vp9.spatialId()).isEqualTo(1);
        assertThat(vp9.interLayerDependency()).isTrue();
        assertThat(vp9.tl0PicIdx()).isEqualTo(-1);
        assertThat(vp9.pDiffCount()).isEqualTo(2);
        assertThat(vp9.pDiff(0)).isEqualTo(1);
        assertThat(vp9.pDiff(1)).isEqualTo(2);
        assertThat(vp9.hasScalabilityStructure()).isFalse();
        assertThat(vp9.pictureGroupSize()).isEqualTo(-1);
    }

    @Test
    void vp9RewritesAtAnOffsetKeepEverythingElse() throws ProtocolException {
        ByteBuf buf = Unpooled.buffer();
        buf.writeZero(5).writeBytes(VP9_KEYFRAME_WITH_SS);
        Vp9PayloadDescriptor vp9 = new Vp9PayloadDescriptor().wrap(buf, 5, buf.writerIndex());
        vp9.setPictureId(32_767);
        vp9.setTl0PicIdx(255);
        byte[] expected = VP9_KEYFRAME_WITH_SS.clone();
        expected[1] = (byte) 0xff;
        expected[2] = (byte) 0xff;
        expected[4] = (byte) 0xff;
        assertThat(ByteBufUtil.getBytes(buf, 5, buf.writerIndex() - 5)).containsExactly(expected);
        Vp9PayloadDescriptor reread = new Vp9PayloadDescriptor().wrap(buf, 5, buf.writerIndex());
        assertThat(reread.pictureId()).isEqualTo(32_767);
        assertThat(reread.tl0PicIdx()).isEqualTo(255);
        assertThat(reread.width(1)).isEqualTo(640);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vp8", "vp9ss", "vp9flex"})
    void everyTruncatedDescriptorIsRejected(String which) {
        byte[] bytes = switch (which) {
            case "vp8" -> VP8_FULL;
            case "vp9ss" -> VP9_KEYFRAME_WITH_SS;
            default -> VP9_FLEXIBLE;
        };
        int descriptorLength = bytes.length - 1;
        for (int length = 0; length < descriptorLength; length++) {
            ByteBuf buf = Unpooled.buffer().writeZero(2).writeBytes(bytes, 0, length);
            int end = 2 + length;
            assertThatThrownBy(() -> {
                if (which.equals("vp8")) {
                    new Vp8PayloadDescriptor().wrap(buf, 2, end);
                } else {
                    new Vp9PayloadDescriptor().wrap(buf, 2, end);
                }
            }).as("%s cut to %d bytes", which, length).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("truncated");
        }
    }

    /** Random descriptors either parse within their bounds or are rejected with a reason: nothing else escapes. */
    @Test
    void randomBytesFailOnlyWithProtocolException() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
        Vp9PayloadDescriptor vp9 = new Vp9PayloadDescriptor();
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            try {
                assertThat(vp8.wrap(buf, 0, bytes.length).encodedLength()).isLessThanOrEqualTo(bytes.length);
                vp8.pictureId();
                vp8.keyFrame();
            } catch (ProtocolException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
            try {
                assertThat(vp9.wrap(buf, 0, bytes.length).encodedLength()).isLessThanOrEqualTo(bytes.length);
                vp9.pictureId();
                vp9.tl0PicIdx();
            } catch (ProtocolException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void vp9RejectsAFourthReferenceDiff() {
        ByteBuf buf = Unpooled.wrappedBuffer(hex("f5 2a 53 03 05 07 09 c0"));
        assertThatThrownBy(() -> new Vp9PayloadDescriptor().wrap(buf, 0, 8))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("more than 3");
    }

    @Test
    void aRangeOutsideTheBufferIsRejected() {
        ByteBuf buf = Unpooled.wrappedBuffer(VP8_FULL);
        assertThatThrownBy(() -> new Vp8PayloadDescriptor().wrap(buf, 0, VP8_FULL.length + 1))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new Vp9PayloadDescriptor().wrap(buf, -1, 2))
                .isInstanceOf(ProtocolException.class);
    }

    /** Annotated hex: on each line the two-digit tokens up to the first other token. */
    static byte[] hex(String annotated) {
        StringBuilder digits = new StringBuilder();
        for (String line : annotated.split("\n")) {
            for (String token : line.trim().split("\\s+")) {
                if (!token.matches("[0-9a-fA-F]{2}")) {
                    break;
                }
                digits.append(token);
            }
        }
        return ByteBufUtil.decodeHexDump(digits);
    }
}
