package io.relaymesh.node.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.rtp.RtpPacket;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Vp8TemporalFilterTest {

    /** The L1T3 pattern: TID of frame n. */
    private static final int[] PATTERN = {0, 2, 1, 2};

    private final Vp8TemporalFilter filter = new Vp8TemporalFilter();
    private final RtpPacket view = new RtpPacket();
    private int seq;

    private boolean offer(int frame, boolean keyframe, boolean sync) throws ProtocolException {
        int tid = keyframe ? 0 : PATTERN[frame % 4];
        ByteBuf b = Vp8Packets.packet(96, seq++, frame * 3000, 1, true, keyframe, frame, frame / 4, tid, sync, 64, 48,
                0, 40);
        try {
            return filter.accept(view.wrap(b), 0);
        } finally {
            b.release();
        }
    }

    /** TIDs of the frames 1..n forwarded after a keyframe at frame 0. */
    private List<Integer> forwarded(int frames, boolean sync) throws ProtocolException {
        List<Integer> tids = new ArrayList<>();
        for (int f = 1; f <= frames; f++) {
            if (offer(f, false, sync)) {
                tids.add(PATTERN[f % 4]);
            }
        }
        return tids;
    }

    @Test
    void everythingPassesWithoutATarget() throws ProtocolException {
        assertThat(offer(0, true, false)).isTrue();
        assertThat(forwarded(8, false)).containsExactly(2, 1, 2, 0, 2, 1, 2, 0);
        assertThat(filter.temporal()).isEqualTo(2);
        assertThat(filter.spatial()).isZero();
        assertThat(filter.wantsKeyframe()).isFalse();
    }

    @Test
    void goingDownTakesEffectAtTheNextFrame() throws ProtocolException {
        offer(0, true, false);
        filter.setTarget(0, 0);

        assertThat(forwarded(8, false)).containsExactly(0, 0);
        assertThat(filter.temporal()).isZero();
    }

    @Test
    void goingUpWaitsForALayerSyncFrame() throws ProtocolException {
        filter.setTarget(0, 0);
        offer(0, true, false);
        filter.setTarget(0, 2);

        assertThat(forwarded(8, false)).as("no Y bit: stays at the base layer").containsExactly(0, 0);
        assertThat(forwarded(4, true)).as("frames 9..12 with Y: up at the first one").containsExactly(2, 1, 2, 0);
        assertThat(filter.temporal()).isEqualTo(2);
    }

    @Test
    void aKeyframeLiftsToTheTargetAtOnce() throws ProtocolException {
        filter.setTarget(0, 0);
        offer(0, true, false);
        filter.setTarget(0, 1);
        forwarded(3, false);

        assertThat(offer(4, true, false)).isTrue();
        assertThat(forwarded(4, false)).containsExactly(1, 0);
        assertThat(filter.temporal()).isEqualTo(1);
    }

    @Test
    void aStreamWithoutTemporalLayersPassesWhole() {
        ByteBuf b = Unpooled.directBuffer(64);
        RtpHeaderWriter.writeHeader(b, 96, false, 1, 0, 1);
        b.writeByte(0x10).writeByte(0x11).writeZero(10); // no X: no TID
        try {
            filter.setTarget(0, 0);
            assertThat(filter.accept(view.wrap(b), 0)).isTrue();
            assertThat(filter.temporal()).isZero();
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        } finally {
            b.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void aTruncatedDescriptorIsDropped(int descriptorBytes) throws ProtocolException {
        ByteBuf b = Unpooled.directBuffer(64);
        b.writeZero(3).readerIndex(3);
        RtpHeaderWriter.writeHeader(b, 96, false, 1, 0, 1);
        byte[] full = {(byte) 0x90, (byte) 0xE0, (byte) 0x80, 0x01, 0x05, 0x40};
        b.writeBytes(full, 0, descriptorBytes);
        try {
            assertThat(filter.accept(view.wrap(b), 0)).isFalse();
            assertThat(filter.malformed()).isEqualTo(1);
        } finally {
            b.release();
        }
    }
}
