package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * The VP8 payload descriptor (RFC 7741 section 4.2), as a reusable view: {@link #wrap} reads the fields of the
 * descriptor at the start of an RTP payload into this object without allocating, and the setters rewrite the picture
 * id and TL0PICIDX in place so a forwarder switching between simulcast streams can keep them continuous.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (OPTIONAL, 7 bits, or 15 with M set)
 *      +-+-+-+-+-+-+-+-+
 *      |   PictureID   |
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 * Absent fields read as -1.
 */
public final class Vp8PayloadDescriptor {

    static final int X_BIT = 0x80;
    static final int N_BIT = 0x20;
    static final int S_BIT = 0x10;
    static final int PARTITION_MASK = 0x07;
    static final int I_BIT = 0x80;
    static final int L_BIT = 0x40;
    static final int T_BIT = 0x20;
    static final int K_BIT = 0x10;
    static final int TID_SHIFT = 6;
    static final int Y_BIT = 0x20;
    static final int KEYIDX_MASK = 0x1F;
    /** Bit 0 of the VP8 payload header's first byte: 0 on a key frame (RFC 7741 section 4.3). */
    static final int INTERFRAME_BIT = 0x01;

    private ByteBuf buf;
    private int offset;
    private int length;
    private int end;
    private boolean nonReference;
    private boolean startOfPartition;
    private int partitionIndex;
    private int pictureIdOffset;
    private int pictureIdLength;
    private int tl0PicIdxOffset;
    private int temporalId;
    private boolean layerSync;
    private int keyIndex;

    /**
     * Points this view at the descriptor starting at absolute index {@code offset} of an RTP payload ending at
     * {@code end}. The view does not retain {@code buf}: the caller keeps it alive while using the view.
     */
    public Vp8PayloadDescriptor wrap(ByteBuf buf, int offset, int end) throws ProtocolException {
        if (offset < 0 || end > buf.writerIndex() || end - offset < 1) {
            throw new ProtocolException("VP8 payload descriptor truncated: payload [" + offset + ", " + end
                    + ") is empty or outside the buffer");
        }
        int first = buf.getUnsignedByte(offset);
        int at = offset + 1;
        int pidOffset = -1;
        int pidLength = 0;
        int tl0Offset = -1;
        int tid = -1;
        boolean y = false;
        int keyIdx = -1;
        if ((first & X_BIT) != 0) {
            PictureIds.require(at, end, 1, "VP8 extension byte");
            int x = buf.getUnsignedByte(at++);
            if ((x & I_BIT) != 0) {
                pidLength = PictureIds.length(buf, at, end, "VP8");
                pidOffset = at;
                at += pidLength;
            }
            if ((x & L_BIT) != 0) {
                PictureIds.require(at, end, 1, "VP8 TL0PICIDX");
                tl0Offset = at++;
            }
            if ((x & (T_BIT | K_BIT)) != 0) {
                PictureIds.require(at, end, 1, "VP8 TID/KEYIDX byte");
                int tk = buf.getUnsignedByte(at++);
                if ((x & T_BIT) != 0) {
                    tid = tk >>> TID_SHIFT;
                    y = (tk & Y_BIT) != 0;
                }
                if ((x & K_BIT) != 0) {
                    keyIdx = tk & KEYIDX_MASK;
                }
            }
        }
        this.buf = buf;
        this.offset = offset;
        this.length = at - offset;
        this.end = end;
        this.nonReference = (first & N_BIT) != 0;
        this.startOfPartition = (first & S_BIT) != 0;
        this.partitionIndex = first & PARTITION_MASK;
        this.pictureIdOffset = pidOffset;
        this.pictureIdLength = pidLength;
        this.tl0PicIdxOffset = tl0Offset;
        this.temporalId = tid;
        this.layerSync = y;
        this.keyIndex = keyIdx;
        return this;
    }

    /** Bytes of the descriptor; the VP8 payload starts this far after the offset. */
    public int encodedLength() {
        return length;
    }

    public boolean nonReference() {
        return nonReference;
    }

    public boolean startOfPartition() {
        return startOfPartition;
    }

    public int partitionIndex() {
        return partitionIndex;
    }

    /** True for the first packet of a frame (S set, partition 0). */
    public boolean startOfFrame() {
        return startOfPartition && partitionIndex == 0;
    }

    /** True on the first packet of a key frame: the payload header's P bit is 0. */
    public boolean keyFrame() {
        return startOfFrame() && end - offset > length
                && (buf.getUnsignedByte(offset + length) & INTERFRAME_BIT) == 0;
    }

    /** 7- or 15-bit picture id, -1 if absent. */
    public int pictureId() {
        return pictureIdOffset < 0 ? -1 : PictureIds.read(buf, pictureIdOffset, pictureIdLength);
    }

    /** 1 or 2 (bytes), 0 if absent. */
    public int pictureIdLength() {
        return pictureIdLength;
    }

    public int tl0PicIdx() {
        return tl0PicIdxOffset < 0 ? -1 : buf.getUnsignedByte(tl0PicIdxOffset);
    }

    public int temporalId() {
        return temporalId;
    }

    /** The Y bit: this frame depends only on base layer frames (a switching point up to its TID). */
    public boolean layerSync() {
        return layerSync;
    }

    public int keyIndex() {
        return keyIndex;
    }

    /** Rewrites the picture id in place, modulo its field's width. */
    public void setPictureId(int pictureId) {
        if (pictureIdOffset < 0) {
            throw new IllegalStateException("this VP8 descriptor has no picture id");
        }
        PictureIds.write(buf, pictureIdOffset, pictureIdLength, pictureId);
    }

    /** Rewrites TL0PICIDX in place, modulo 256. */
    public void setTl0PicIdx(int tl0PicIdx) {
        if (tl0PicIdxOffset < 0) {
            throw new IllegalStateException("this VP8 descriptor has no TL0PICIDX");
        }
        buf.setByte(tl0PicIdxOffset, tl0PicIdx & 0xFF);
    }
}
