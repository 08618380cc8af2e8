package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.transport.WebRtcTransport;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A browser's simulcast as the node receives it (RFC 8853 without a=ssrc): three SSRCs named only by the rid header
 * extension, RTX streams named by the repaired-rid. They must become three layers of one track.
 */
class SimulcastIngestTest {

    private static final int RID_ID = 10;
    private static final int REPAIRED_RID_ID = 11;
    private static final int PT = 96;
    private static final int RTX_PT = 97;

    private final MediaSpec video = new MediaSpec("1", MediaKind.VIDEO,
            List.of(new CodecSpec(PT, MediaCodec.VP8, 90_000, RTX_PT)),
            Map.of(Publisher.RID, RID_ID, Publisher.REPAIRED_RID, REPAIRED_RID_ID), true, true, false);
    private WebRtcTransport transport;
    private Sfu sfu;

    @BeforeEach
    void start() throws Exception {
        SecureRandom random = new SecureRandom();
        transport = WebRtcTransport.bind(List.of(InetAddress.getLoopbackAddress()), 0, System::nanoTime,
                new WebRtcTransport.DtlsSettings(DtlsCertificate.generate(Clock.systemUTC(), random),
                        List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80), random));
        sfu = new Sfu(transport, Clock.systemUTC(), "test", SfuListener.NONE);
    }

    @AfterEach
    void stop() {
        sfu.close();
        transport.close();
    }

    /** An RTP packet with one rid-like extension element (one-byte header, RFC 8285), at a non-zero offset. */
    private static ByteBuf packet(int pt, int seq, int ssrc, int extensionId, String rid, byte[] payload) {
        ByteBuf b = Unpooled.buffer(128);
        b.writeZero(3).readerIndex(3);
        int start = RtpHeaderWriter.writeHeader(b, pt, false, seq, seq * 3000, ssrc);
        if (rid != null) {
            byte[] value = rid.getBytes(StandardCharsets.US_ASCII);
            int words = (1 + value.length + 3) / 4;
            b.setByte(start, b.getByte(start) | 0x10);
            b.writeShort(RtpPacket.PROFILE_ONE_BYTE).writeShort(words);
            b.writeByte(extensionId << 4 | (value.length - 1)).writeBytes(value);
            b.writeZero(words * 4 - 1 - value.length);
        }
        return b.writeBytes(payload);
    }

    private static final byte[] VP8_KEYFRAME = {(byte) 0x90, 0x00, 0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a,
            0x40, 0x01, (byte) 0xb4, 0x00, 1, 2, 3};

    /** Delivers a packet as the transport does: the caller keeps ownership and releases it afterwards. */
    private static void feed(Publisher publisher, ByteBuf packet) {
        try {
            publisher.onRtp(null, packet);
        } finally {
            packet.release();
        }
    }

    private <T> T onLoop(java.util.function.Supplier<T> task) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        transport.execute(() -> {
            try {
                done.complete(task.get());
            } catch (RuntimeException | AssertionError e) {
                done.completeExceptionally(e);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void ridNamedStreamsBecomeLayersOfOneTrackAndRtxFindsItsLayerByRepairedRid() throws Exception {
        Room room = new Room("r", SfuListener.NONE);
        Publisher publisher = new Publisher(sfu, "pub", room, "peer", List.of(video), 42);
        onLoop(() -> {
            feed(publisher, packet(PT, 1, 0xF0, RID_ID, "f", VP8_KEYFRAME));
            feed(publisher, packet(PT, 1, 0x10, RID_ID, "q", VP8_KEYFRAME));
            feed(publisher, packet(PT, 1, 0x20, RID_ID, "h", VP8_KEYFRAME));
            feed(publisher, packet(PT, 1, 0x30, RID_ID, "x", VP8_KEYFRAME)); // a fourth: over the bound
            feed(publisher, packet(PT, 2, 0x20, 0, null, VP8_KEYFRAME)); // later packets carry no rid
            return null;
        });

        assertThat(room.tracks()).as("the room sees one track").hasSize(1);
        TrackLayers layers = room.tracks().getFirst().layers();
        assertThat(layers.count()).isEqualTo(3);
        assertThat(layers.byRid("x")).isNull();
        PublishedTrack h = layers.byRid("h");
        assertThat(h.ssrc()).isEqualTo(0x20);
        assertThat(h.packets()).isEqualTo(2);
        assertThat(h.width()).isEqualTo(320);
        assertThat(h.height()).isEqualTo(180);
        assertThat(layers.byRid("q").ssrc()).isEqualTo(0x10);
        assertThat(publisher.tracks()).as("every layer gets NACKs and a report block").hasSize(3);

        // h's RTX stream (repaired-rid h), carrying its packet 3: OSN then the original payload.
        byte[] rtxPayload = new byte[2 + VP8_KEYFRAME.length];
        rtxPayload[1] = 3;
        System.arraycopy(VP8_KEYFRAME, 0, rtxPayload, 2, VP8_KEYFRAME.length);
        onLoop(() -> {
            feed(publisher, packet(RTX_PT, 700, 0x21, REPAIRED_RID_ID, "h", rtxPayload));
            return null;
        });

        assertThat(h.rtxSsrc()).isEqualTo(0x21);
        assertThat(layers.byRid("q").rtxSsrc()).isZero();
        assertThat(h.packets()).as("the repaired packet counts for h").isEqualTo(3);
        onLoop(() -> {
            publisher.tracks().forEach(PublishedTrack::end);
            return null;
        });
    }
}
