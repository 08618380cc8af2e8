package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** H264 simulcast layers learn their picture size from the SPS sent with each IDR, so they rank by resolution. */
class H264LayerSizeTest {

    private static final TrackSource SOURCE = SilentSource.PUBLISHER;
    private static final String SPS_1280X720 = "6742c01fd9005005bb0110000003001000000303c0f1832480";
    private static final String SPS_320X180 = "6742c00dd901419f9f0110000003001000000303c0f142a480";

    private final MediaSpec video = new MediaSpec("1", MediaKind.VIDEO,
            List.of(new CodecSpec(102, MediaCodec.H264, 90_000, 103)), Map.of(), true, true, false);

    @Test
    void keyframesTellEachLayersSizeAndTheLayersRankByIt() throws ProtocolException {
        TrackLayers group = new TrackLayers();
        PublishedTrack big = new PublishedTrack("pub:1", SOURCE, video, video.codecs().getFirst(), 10, 1, group, "f");
        PublishedTrack small = new PublishedTrack("pub:1", SOURCE, video, video.codecs().getFirst(), 11, 2, group, "q");
        try {
            // the big layer sends less at first (an encoder ramping up): by bitrate it would rank lowest
            send(big, 1, keyframe(SPS_1280X720, 10), 1_000_000L);
            for (int i = 0; i < 20; i++) {
                send(small, 1 + i, delta(1000), 1_000_000L + i);
            }
            send(small, 21, keyframe(SPS_320X180, 1000), 2_000_000L);
            assertThat(big.width()).isEqualTo(1280);
            assertThat(big.height()).isEqualTo(720);
            assertThat(small.width()).isEqualTo(320);
            assertThat(small.height()).isEqualTo(180);
            group.rank(3_000_000L);
            assertThat(group.layer(0)).isSameAs(small);
            assertThat(group.layer(1)).isSameAs(big);

            // a keyframe whose SPS is malformed leaves the size as it was
            send(big, 2, keyframe("6742c01f", 10), 4_000_000L);
            assertThat(big.width()).isEqualTo(1280);
        } finally {
            big.end();
            small.end();
        }
    }

    /** STAP-A: SPS, PPS, then the start of an IDR slice with {@code idrBytes} of slice data. */
    private static byte[] keyframe(String sps, int idrBytes) {
        byte[] s = HexFormat.of().parseHex(sps);
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x78).writeShort(s.length).writeBytes(s)
                .writeShort(4).writeBytes(new byte[] {0x68, (byte) 0xce, 0x3c, (byte) 0x80})
                .writeShort(1 + idrBytes).writeByte(0x65).writeZero(idrBytes);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static byte[] delta(int bytes) {
        byte[] out = new byte[1 + bytes];
        out[0] = 0x41;
        return out;
    }

    private static void send(PublishedTrack track, int seq, byte[] payload, long now) throws ProtocolException {
        ByteBuf packet = Unpooled.directBuffer(12 + payload.length);
        packet.writeByte(0x80).writeByte(102).writeShort(seq).writeInt(seq * 3000).writeInt(track.ssrc())
                .writeBytes(payload);
        try {
            track.onRtp(RtpPacket.parse(packet), now);
        } finally {
            packet.release();
        }
    }
}
