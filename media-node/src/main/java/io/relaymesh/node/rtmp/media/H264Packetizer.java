package io.relaymesh.node.rtmp.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Packs H.264 access units into RTP (RFC 6184, packetization mode 1, non-interleaved).
 *
 * <ul>
 *   <li>A NAL unit that fits the payload budget travels alone (single NAL unit packet, section 5.6).</li>
 *   <li>Before every IDR picture the current SPS and PPS travel together in one STAP-A (type 24, section
 *       5.7.1): {@code STAP-A header | size (2) | SPS | size (2) | PPS}, so a viewer that starts at any keyframe
 *       can decode it. SPS/PPS inside the access unit replace the cached ones instead of being sent twice.</li>
 *   <li>A larger NAL unit is split into FU-A fragments (type 28, section 5.8): FU indicator (F, NRI of the NAL,
 *       type 28) | FU header (S, E, R=0, NAL type) | fragment of the NAL without its header byte.</li>
 *   <li>Access unit delimiters and filler data are dropped; the marker bit is set on the access unit's last
 *       packet; every packet of an access unit carries its 90 kHz timestamp.</li>
 * </ul>
 */
public final class H264Packetizer {

    static final int NAL_IDR = 5;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int NAL_AUD = 9;
    static final int NAL_FILLER = 12;
    static final int STAP_A = 24;
    static final int FU_A = 28;
    private static final int RTP_HEADER = 12;
    /** Tail room left in every packet for the SRTP authentication tag added per viewer. */
    private static final int SRTP_TAIL = 16;

    private final ByteBufAllocator allocator;
    private final int payloadType;
    private final int ssrc;
    private final int maxPayload;
    private int sequence;
    private List<byte[]> sps = List.of();
    private List<byte[]> pps = List.of();

    /**
     * @param maxPayload RTP payload budget per packet (1200 leaves room for SRTP, extensions and tunnels)
     */
    public H264Packetizer(ByteBufAllocator allocator, int payloadType, int ssrc, int initialSequence, int maxPayload) {
        if (maxPayload < 64) {
            throw new IllegalArgumentException("payload budget too small: " + maxPayload);
        }
        this.allocator = allocator;
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.sequence = initialSequence & 0xFFFF;
        this.maxPayload = maxPayload;
    }

    /** Parameter sets from the stream's sequence header, sent before each IDR picture. */
    public void parameterSets(List<byte[]> sps, List<byte[]> pps) {
        this.sps = List.copyOf(sps);
        this.pps = List.copyOf(pps);
    }

    /**
     * Packetizes one access unit; each RTP packet goes to {@code sink}, which takes ownership.
     *
     * @param nalUnits  the access unit's NAL units (readable bytes; not consumed, not released)
     * @param timestamp 90 kHz RTP timestamp
     */
    public void packetize(List<ByteBuf> nalUnits, int timestamp, Consumer<ByteBuf> sink) {
        List<ByteBuf> units = new ArrayList<>(nalUnits.size());
        boolean idr = false;
        List<byte[]> inBandSps = new ArrayList<>();
        List<byte[]> inBandPps = new ArrayList<>();
        for (ByteBuf nal : nalUnits) {
            if (!nal.isReadable()) {
                continue;
            }
            int type = nal.getUnsignedByte(nal.readerIndex()) & 0x1F;
            switch (type) {
                case NAL_AUD, NAL_FILLER -> { }
                case NAL_SPS -> inBandSps.add(bytes(nal));
                case NAL_PPS -> inBandPps.add(bytes(nal));
                default -> {
                    idr |= type == NAL_IDR;
                    units.add(nal);
                }
            }
        }
        if (!inBandSps.isEmpty()) {
            sps = inBandSps;
        }
        if (!inBandPps.isEmpty()) {
            pps = inBandPps;
        }
        if (units.isEmpty()) {
            return;
        }
        if (idr && !sps.isEmpty() && !pps.isEmpty()) {
            writeParameterSets(timestamp, sink);
        }
        for (int i = 0; i < units.size(); i++) {
            writeNal(units.get(i), timestamp, i == units.size() - 1, sink);
        }
    }

    private void writeParameterSets(int timestamp, Consumer<ByteBuf> sink) {
        List<byte[]> sets = new ArrayList<>(sps);
        sets.addAll(pps);
        int size = 1;
        int nri = 0;
        int forbidden = 0;
        for (byte[] s : sets) {
            size += 2 + s.length;
            nri = Math.max(nri, s[0] & 0x60);
            forbidden |= s[0] & 0x80;
        }
        if (size > maxPayload) {
            for (byte[] s : sets) { // too big to aggregate: send each as a single NAL unit packet
                ByteBuf packet = start(false, timestamp, s.length);
                packet.writeBytes(s);
                sink.accept(packet);
            }
            return;
        }
        ByteBuf packet = start(false, timestamp, size);
        packet.writeByte(forbidden | nri | STAP_A);
        for (byte[] s : sets) {
            packet.writeShort(s.length);
            packet.writeBytes(s);
        }
        sink.accept(packet);
    }

    private void writeNal(ByteBuf nal, int timestamp, boolean last, Consumer<ByteBuf> sink) {
        int length = nal.readableBytes();
        int at = nal.readerIndex();
        if (length <= maxPayload) {
            ByteBuf packet = start(last, timestamp, length);
            packet.writeBytes(nal, at, length);
            sink.accept(packet);
            return;
        }
        int header = nal.getUnsignedByte(at);
        int indicator = (header & 0xE0) | FU_A;
        int type = header & 0x1F;
        int offset = at + 1;
        int end = at + length;
        int fragment = maxPayload - 2;
        boolean first = true;
        while (offset < end) {
            int n = Math.min(fragment, end - offset);
            boolean lastFragment = offset + n == end;
            ByteBuf packet = start(last && lastFragment, timestamp, 2 + n);
            packet.writeByte(indicator);
            packet.writeByte((first ? 0x80 : 0) | (lastFragment ? 0x40 : 0) | type);
            packet.writeBytes(nal, offset, n);
            sink.accept(packet);
            offset += n;
            first = false;
        }
    }

    private ByteBuf start(boolean marker, int timestamp, int payloadLength) {
        ByteBuf packet = allocator.buffer(RTP_HEADER + payloadLength + SRTP_TAIL);
        RtpHeaderWriter.writeHeader(packet, payloadType, marker, sequence, timestamp, ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        return packet;
    }

    /** Sequence number the next packet gets. */
    public int nextSequence() {
        return sequence;
    }

    private static byte[] bytes(ByteBuf nal) {
        byte[] b = new byte[nal.readableBytes()];
        nal.getBytes(nal.readerIndex(), b);
        return b;
    }
}
