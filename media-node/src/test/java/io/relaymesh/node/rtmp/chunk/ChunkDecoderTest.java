package io.relaymesh.node.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkDecoderTest {

    private final ChunkDecoder decoder = new ChunkDecoder(ByteBufAllocator.DEFAULT, ChunkDecoder.Limits.DEFAULT);
    private final List<RtmpMessage> out = new ArrayList<>();

    @AfterEach
    void release() {
        out.forEach(RtmpMessage::release);
        decoder.release();
    }

    private static ByteBuf hex(String... parts) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(String.join("", parts)));
    }

    private void decode(ByteBuf in) throws ProtocolException {
        try {
            decoder.decode(in, out);
        } finally {
            in.release();
        }
    }

    @Test
    void everyHeaderTypeInOneStream() throws ProtocolException {
        // audio messages of 32 bytes on chunk stream 4, as in the specification's section 5.3.2.1 example
        decode(hex(
                "04", "0003e8", "000020", "08", "01000000", "aa".repeat(32), // type 0: ts 1000, len 32, audio, stream 1
                "44", "000014", "000020", "08", "bb".repeat(32),             // type 1: delta 20 -> 1020
                "84", "000014", "cc".repeat(32),                             // type 2: delta 20 -> 1040
                "c4", "dd".repeat(32)));                                     // type 3: delta 20 again -> 1060
        assertThat(out).extracting(RtmpMessage::timestamp).containsExactly(1000L, 1020L, 1040L, 1060L);
        assertThat(out).allSatisfy(m -> {
            assertThat(m.typeId()).isEqualTo(RtmpMessage.AUDIO);
            assertThat(m.streamId()).as("types 1 to 3 keep the stream id").isEqualTo(1);
            assertThat(m.payload().readableBytes()).isEqualTo(32);
        });
        assertThat((int) out.get(3).payload().getUnsignedByte(0)).isEqualTo(0xdd);
    }

    @Test
    void typeTwoAndThreeHeadersRepeatLengthTypeAndDelta() throws ProtocolException {
        decode(hex(
                "03", "0003e8", "000002", "09", "01000000", "0101",   // type 0: ts 1000, 2 bytes, video, stream 1
                "83", "000021", "0202",                               // type 2: delta 33 -> 1033
                "c3", "0303",                                         // type 3 (new message): delta 33 -> 1066
                "c3", "0404"));                                       // type 3 again -> 1099
        assertThat(out).extracting(RtmpMessage::timestamp).containsExactly(1000L, 1033L, 1066L, 1099L);
        assertThat(out).extracting(m -> ByteBufUtil.hexDump(m.payload())).containsExactly("0101", "0202", "0303", "0404");
        assertThat(out).allSatisfy(m -> {
            assertThat(m.typeId()).isEqualTo(RtmpMessage.VIDEO);
            assertThat(m.streamId()).isEqualTo(1);
        });
    }

    @Test
    void aTypeThreeAfterTypeZeroRepeatsTheTimestampFieldAsDelta() throws ProtocolException {
        // what ffmpeg's writer and reader both assume
        decode(hex("03", "000064", "000001", "09", "01000000", "01", "c3", "02"));
        assertThat(out).extracting(RtmpMessage::timestamp).containsExactly(100L, 200L);
    }

    @Test
    void extendedTimestampsOnTypeZeroAndOnItsContinuationChunks() throws ProtocolException {
        // 200-byte message at 128-byte chunks: type 0 with 0xFFFFFF + extended, continuation type 3 repeats it
        decode(hex("06", "ffffff", "0000c8", "09", "01000000", "01020304", "ab".repeat(128),
                "c6", "01020304", "cd".repeat(72)));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).timestamp()).isEqualTo(0x01020304L);
        assertThat(out.get(0).payload().readableBytes()).isEqualTo(200);
        assertThat((int) out.get(0).payload().getUnsignedByte(127)).isEqualTo(0xab);
        assertThat((int) out.get(0).payload().getUnsignedByte(128)).isEqualTo(0xcd);
    }

    @Test
    void extendedTimestampDeltaOnTypeOne() throws ProtocolException {
        decode(hex("05", "000010", "000001", "09", "01000000", "00",
                "45", "ffffff", "000001", "09", "01000000", "11"));
        assertThat(out).extracting(RtmpMessage::timestamp).containsExactly(0x10L, 0x10L + 0x01000000L);
    }

    @Test
    void interleavedChunkStreamsReassembleIndependently() throws ProtocolException {
        // video (cs 6, 300 bytes) and audio (cs 4, 10 bytes) interleaved at the 128-byte chunk boundary
        decode(hex(
                "06", "000000", "00012c", "09", "01000000", "11".repeat(128),
                "04", "000005", "00000a", "08", "01000000", "22".repeat(10),
                "c6", "11".repeat(128),
                "c6", "11".repeat(44)));
        assertThat(out).extracting(RtmpMessage::typeId).containsExactly(RtmpMessage.AUDIO, RtmpMessage.VIDEO);
        assertThat(out.get(1).payload().readableBytes()).isEqualTo(300);
        assertThat(out.get(0).timestamp()).isEqualTo(5);
    }

    @Test
    void twoAndThreeByteBasicHeaders() throws ProtocolException {
        decode(hex("00", "00", "000001", "000001", "14", "00000000", "05",       // cs 64
                "01", "ff00", "000002", "000001", "14", "00000000", "05",        // cs 64 + 255 = 319
                "01", "0001", "000003", "000001", "14", "00000000", "05"));      // cs 64 + 256 = 320
        assertThat(out).extracting(RtmpMessage::timestamp).containsExactly(1L, 2L, 3L);
    }

    @Test
    void setChunkSizeAppliesToTheVeryNextChunk() throws ProtocolException {
        decode(hex("02", "000000", "000004", "01", "00000000", "00000100",   // Set Chunk Size 256
                "06", "000000", "0000c8", "09", "01000000", "ee".repeat(200))); // 200 bytes in one chunk now
        assertThat(decoder.chunkSize()).isEqualTo(256);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).payload().readableBytes()).isEqualTo(200);
    }

    @Test
    void abortDropsThePartialMessage() throws ProtocolException {
        decode(hex("06", "000000", "0000c8", "09", "01000000", "ee".repeat(128),
                "02", "000000", "000004", "02", "00000000", "00000006",
                "06", "000000", "000001", "09", "01000000", "ff"));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).payload().readableBytes()).isEqualTo(1);
    }

    @Test
    void anIncompleteChunkIsLeftUnreadAndFinishedByTheNextRead() throws ProtocolException {
        byte[] whole = HexFormat.of().parseHex("06" + "ffffff" + "0000c8" + "09" + "01000000" + "01020304"
                + "ab".repeat(128) + "c6" + "01020304" + "cd".repeat(72));
        for (int split = 0; split <= whole.length; split++) {
            ByteBuf in = Unpooled.buffer();
            try {
                in.writeBytes(whole, 0, split);
                decoder.decode(in, out);
                int consumed = in.readerIndex();
                assertThat(consumed).as("split at %d", split).isIn(0, 1 + 11 + 4 + 128, whole.length);
                in.writeBytes(whole, split, whole.length - split);
                decoder.decode(in, out);
                assertThat(in.isReadable()).isFalse();
                assertThat(out).hasSize(1);
                assertThat(out.get(0).payload().readableBytes()).isEqualTo(200);
            } finally {
                in.release();
                out.forEach(RtmpMessage::release);
                out.clear();
            }
        }
    }

    @Test
    void byteByByteFeedingYieldsTheSameMessages() throws ProtocolException {
        ChunkEncoder encoder = new ChunkEncoder();
        ByteBuf wire = Unpooled.buffer();
        ByteBuf payload = Unpooled.buffer();
        try {
            for (int i = 0; i < 1000; i++) {
                payload.writeByte(i);
            }
            encoder.write(wire, 6, RtmpMessage.VIDEO, 1, 0x1234_5678L, payload);
            encoder.write(wire, 4, RtmpMessage.AUDIO, 1, 42, payload.slice(0, 3));
            ByteBuf in = Unpooled.buffer();
            try {
                while (wire.isReadable()) {
                    in.writeByte(wire.readByte());
                    decoder.decode(in, out);
                    in.discardReadBytes();
                }
            } finally {
                in.release();
            }
            assertThat(out).hasSize(2);
            assertThat(out.get(0).timestamp()).isEqualTo(0x1234_5678L);
            assertThat(ByteBufUtil.equals(out.get(0).payload(), payload)).isTrue();
            assertThat(out.get(1).timestamp()).isEqualTo(42);
        } finally {
            wire.release();
            payload.release();
        }
    }

    @Test
    void aContinuationWithoutAStartIsRefused() {
        assertThatThrownBy(() -> decode(hex("c5", "00"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("starts with a type 3 header");
    }

    @Test
    void aNewHeaderInsideAMessageIsRefused() {
        assertThatThrownBy(() -> decode(hex("06", "000000", "0000c8", "09", "01000000", "ee".repeat(128),
                "46", "000000", "000001", "09", "00")))
                .hasMessageContaining("while a message is still incomplete");
    }

    @Test
    void absurdMessageLengthsAndChunkSizesAreRefused() {
        ChunkDecoder small = new ChunkDecoder(ByteBufAllocator.DEFAULT, new ChunkDecoder.Limits(1000, 2, 1500));
        try {
            assertThatThrownBy(() -> small.decode(hex("06", "000000", "0003e9", "09", "01000000"), out))
                    .hasMessageContaining("exceeds the limit of 1000");
            assertThatThrownBy(() -> decode(hex("02", "000000", "000004", "01", "00000000", "7fffffff")))
                    .hasMessageContaining("Set Chunk Size");
            assertThatThrownBy(() -> decode(hex("02", "000000", "000004", "01", "00000000", "00000000")))
                    .hasMessageContaining("Set Chunk Size 0");
        } finally {
            small.release();
        }
    }

    @Test
    void unfinishedMessagesAndChunkStreamsAreBounded() throws ProtocolException {
        ChunkDecoder small = new ChunkDecoder(ByteBufAllocator.DEFAULT, new ChunkDecoder.Limits(1000, 2, 1500));
        try {
            small.decode(hex("06", "000000", "0003e8", "09", "01000000", "00".repeat(128)), out);
            assertThatThrownBy(() -> small.decode(hex("07", "000000", "0003e8", "09", "01000000",
                    "00".repeat(128)), out)).hasMessageContaining("would hold more than 1500");
            small.decode(hex("08", "000000", "000001", "09", "01000000", "00"), out);
            assertThatThrownBy(() -> small.decode(hex("09", "000000", "000001", "09", "01000000", "00"), out))
                    .hasMessageContaining("more than 2 chunk streams");
        } finally {
            small.release();
        }
    }

    @Test
    void theEncoderWritesTypeZeroThenTypeThreeWithExtendedTimestamps() {
        ChunkEncoder encoder = new ChunkEncoder();
        encoder.chunkSize(4);
        ByteBuf wire = Unpooled.buffer();
        ByteBuf payload = hex("0102030405");
        try {
            wire.writeZero(3);
            wire.readerIndex(3);
            encoder.write(wire, 3, RtmpMessage.COMMAND_AMF0, 1, 0x0100_0000L, payload);
            assertThat(ByteBufUtil.hexDump(wire)).isEqualTo(String.join("",
                    "03", "ffffff", "000005", "14", "01000000", "01000000", "01020304",
                    "c3", "01000000", "05"));
            assertThat(payload.readableBytes()).as("the payload is not consumed").isEqualTo(5);
        } finally {
            wire.release();
            payload.release();
        }
    }
}
