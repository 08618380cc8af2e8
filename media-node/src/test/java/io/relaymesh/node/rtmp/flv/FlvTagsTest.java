package io.relaymesh.node.rtmp.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlvTagsTest {

    /** Sequence header x264 writes for constrained baseline 3.1 (SPS/PPS shortened but well-formed). */
    static final String AVC_CONFIG = String.join("",
            "01", "42", "c0", "1f",            // version 1, profile 66, constraints, level 31
            "ff",                              // reserved | lengthSizeMinusOne = 3
            "e1", "0009", "6742c01fd9005005b2",   // 1 SPS of 9 bytes
            "01", "0004", "68cb83cb");         // 1 PPS of 4 bytes

    private static ByteBuf at(int offset, String hex) {
        ByteBuf b = Unpooled.buffer();
        b.writeZero(offset);
        b.readerIndex(offset);
        b.writeBytes(HexFormat.of().parseHex(hex));
        return b;
    }

    @Test
    void videoSequenceHeaderAndConfigurationRecord() throws ProtocolException {
        ByteBuf payload = at(3, "17" + "00" + "000000" + AVC_CONFIG);
        try {
            FlvVideoTag tag = FlvVideoTag.parse(payload);
            assertThat(tag.isKeyframe()).isTrue();
            assertThat(tag.codecId()).isEqualTo(FlvVideoTag.CODEC_AVC);
            assertThat(tag.packetType()).isEqualTo(FlvVideoTag.AVC_SEQUENCE_HEADER);
            AvcDecoderConfigurationRecord config = AvcDecoderConfigurationRecord.parse(tag.data());
            assertThat(config.profile()).isEqualTo(66);
            assertThat(config.level()).isEqualTo(31);
            assertThat(config.nalLengthSize()).isEqualTo(4);
            assertThat(config.sps()).singleElement().satisfies(s -> assertThat(HexFormat.of().formatHex(s))
                    .isEqualTo("6742c01fd9005005b2"));
            assertThat(config.pps()).singleElement().satisfies(p -> assertThat(HexFormat.of().formatHex(p))
                    .isEqualTo("68cb83cb"));
        } finally {
            payload.release();
        }
    }

    @Test
    void interFrameWithANegativeCompositionTime() throws ProtocolException {
        ByteBuf payload = at(1, "27" + "01" + "ffffdf" + "00000002" + "4101");
        try {
            FlvVideoTag tag = FlvVideoTag.parse(payload);
            assertThat(tag.isKeyframe()).isFalse();
            assertThat(tag.compositionTime()).isEqualTo(-33);
            assertThat(AvccNalUnits.split(tag.data(), 4)).singleElement()
                    .satisfies(n -> assertThat(ByteBufUtil.hexDump(n)).isEqualTo("4101"));
        } finally {
            payload.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "'',                 empty tag",
        "12000000,           codec id 2 is not supported",
        "9c000000,           enhanced RTMP",
        "17,                 shorter than its 5-byte header",
        "1703000000,         invalid AVC packet type",
        "7700000000,         invalid frame type"
    })
    void malformedVideoTagsAreRefused(String hex, String reason) {
        ByteBuf payload = at(0, hex);
        try {
            assertThatThrownBy(() -> FlvVideoTag.parse(payload)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining(reason);
        } finally {
            payload.release();
        }
    }

    @Test
    void everyTruncationOfTheConfigurationRecordIsRefused() {
        byte[] whole = HexFormat.of().parseHex(AVC_CONFIG);
        for (int length = 0; length < whole.length; length++) {
            ByteBuf b = Unpooled.wrappedBuffer(whole, 0, length);
            try {
                assertThatThrownBy(() -> AvcDecoderConfigurationRecord.parse(b)).as("%d bytes", length)
                        .isInstanceOf(ProtocolException.class);
            } finally {
                b.release();
            }
        }
    }

    @Test
    void nalUnitsSplitAtEveryLengthSizeAndTruncationIsRefused() throws ProtocolException {
        ByteBuf two = at(2, "0002" + "6501" + "0000" + "0003" + "410203");
        ByteBuf one = at(0, "02" + "6501");
        ByteBuf truncated = at(0, "00000005" + "65010203");
        ByteBuf shortPrefix = at(0, "00000002" + "6501" + "0000");
        try {
            List<ByteBuf> units = AvccNalUnits.split(two, 2);
            assertThat(units).extracting(ByteBufUtil::hexDump).containsExactly("6501", "410203");
            assertThat(AvccNalUnits.split(one, 1)).extracting(ByteBufUtil::hexDump).containsExactly("6501");
            assertThatThrownBy(() -> AvccNalUnits.split(truncated, 4)).hasMessageContaining("exceeds");
            assertThatThrownBy(() -> AvccNalUnits.split(shortPrefix, 4)).hasMessageContaining("length prefix");
        } finally {
            two.release();
            one.release();
            truncated.release();
            shortPrefix.release();
        }
    }

    @Test
    void audioSequenceHeaderAndAudioSpecificConfig() throws ProtocolException {
        // AF 00 | 12 10: AAC LC (2), index 4 = 44100 Hz, 2 channels
        ByteBuf payload = at(4, "af00" + "1210");
        ByteBuf raw = at(0, "af01" + "21100465");
        try {
            FlvAudioTag tag = FlvAudioTag.parse(payload);
            assertThat(tag.packetType()).isEqualTo(FlvAudioTag.AAC_SEQUENCE_HEADER);
            AudioSpecificConfig config = AudioSpecificConfig.parse(tag.data());
            assertThat(config.objectType()).isEqualTo(2);
            assertThat(config.sampleRate()).isEqualTo(44100);
            assertThat(config.channels()).isEqualTo(2);
            assertThat(config.bytes()).containsExactly(0x12, 0x10);
            assertThat(ByteBufUtil.hexDump(FlvAudioTag.parse(raw).data())).isEqualTo("21100465");
        } finally {
            payload.release();
            raw.release();
        }
    }

    @Test
    void audioSpecificConfigEscapes() throws ProtocolException {
        // object type 31 -> 32 + 6 bits (=0: 32), explicit frequency 0x00bb80 = 48000, 1 channel
        // bits: 11111 000000 1111 (24-bit 48000) 0001, zero padded
        ByteBuf b = at(0, "f81e01770020");
        try {
            AudioSpecificConfig config = AudioSpecificConfig.parse(b);
            assertThat(config.objectType()).isEqualTo(32);
            assertThat(config.sampleRate()).isEqualTo(48000);
            assertThat(config.channels()).isEqualTo(1);
        } finally {
            b.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "'',       empty tag",
        "2f01,     sound format 2 is not supported",
        "af,       without its packet type",
        "af02,     invalid AAC packet type"
    })
    void malformedAudioTagsAreRefused(String hex, String reason) {
        ByteBuf payload = at(0, hex);
        try {
            assertThatThrownBy(() -> FlvAudioTag.parse(payload)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining(reason);
        } finally {
            payload.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "12,           truncated",
        "f81e,         truncated",
        "1680,         reserved sampling frequency index 13",
        "1200,         channel configuration 0",
        "1608,         sampling rate 7350 Hz"
    })
    void malformedAudioSpecificConfigsAreRefused(String hex, String reason) {
        ByteBuf b = at(0, hex);
        try {
            assertThatThrownBy(() -> AudioSpecificConfig.parse(b)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining(reason);
        } finally {
            b.release();
        }
    }
}
