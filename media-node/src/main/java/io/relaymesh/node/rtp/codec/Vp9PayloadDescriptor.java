package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * The VP9 payload descriptor (RFC 9628 section 4.2), as a reusable view: {@link #wrap} reads the descriptor at the
 * start of an RTP payload, scalability structure included, into this object's preallocated fields without
 * allocating; {@link #setPictureId} and {@link #setTl0PicIdx} rewrite in place.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |I|P|L|F|B|E|V|Z| (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PICTURE ID  | (7 bits, or 15 with M set)
 *      +-+-+-+-+-+-+-+-+
 * M:   | EXTENDED PID  |
 *      +-+-+-+-+-+-+-+-+
 * L:   |  T  |U|  S  |D| (layer indices)
 *      +-+-+-+-+-+-+-+-+
 *      |   TL0PICIDX   | (non-flexible mode, F=0, only)
 *      +-+-+-+-+-+-+-+-+
 * P,F: | P_DIFF      |N| (flexible mode with P set: up to 3, N says another follows)
 *      +-+-+-+-+-+-+-+-+
 * V:   | SS            | scalability structure:
 *      | N_S |Y|G|-|-|-|   N_S + 1 spatial layers
 * Y:   |     WIDTH     |   x (N_S + 1), 16 bits each
 *      |     HEIGHT    |
 * G:   |      N_G      |   pictures in the group of pictures, then per picture:
 *      |  T  |U| R |-|-|   its TID, switching point, R reference P_DIFFs of 8 bits
 * </pre>
 * Absent numeric fields read as -1.
 */
public final class Vp9PayloadDescriptor {

    static final int I_BIT = 0x80;
    static final int P_BIT = 0x40;
    static final int L_BIT = 0x20;
    static final int F_BIT = 0x10;
    static final int B_BIT = 0x08;
    static final int E_BIT = 0x04;
    static final int V_BIT = 0x02;
    static final int Z_BIT = 0x01;
    static final int N_BIT = 0x01;
    static final int MAX_P_DIFFS = 3;
    static final int MAX_SPATIAL_LAYERS = 8;
    static final int MAX_PICTURE_GROUP = 255;
    static final int MAX_GROUP_REFERENCES = 3;
    static final int SS_Y_BIT = 0x10;
    static final int SS_G_BIT = 0x08;

    private ByteBuf buf;
    private int length;
    private int flags;
    private int pictureIdOffset;
    private int pictureIdLength;
    private int temporalId;
    private boolean switchingUp;
    private int spatialId;
    private boolean interLayerDependency;
    private int tl0PicIdxOffset;
    private int pDiffCount;
    private final int[] pDiffs = new int[MAX_P_DIFFS];
    private int spatialLayers;
    private boolean hasResolutions;
    private final int[] widths = new int[MAX_SPATIAL_LAYERS];
    private final int[] heights = new int[MAX_SPATIAL_LAYERS];
    private int pictureGroupSize;
    private final int[] groupTids = new int[MAX_PICTURE_GROUP];
    private final boolean[] groupSwitchingUp = new boolean[MAX_PICTURE_GROUP];
    private final int[] groupReferenceCounts = new int[MAX_PICTURE_GROUP];
    private final int[] groupReferences = new int[MAX_PICTURE_GROUP * MAX_GROUP_REFERENCES];

    /**
     * Points this view at the descriptor starting at absolute index {@code offset} of an RTP payload ending at
     * {@code end}. The view does not retain {@code buf}. On failure the view's previous contents are undefined.
     */
    public Vp9PayloadDescriptor wrap(ByteBuf buf, int offset, int end) throws ProtocolException {
        if (offset < 0 || end > buf.writerIndex() || end - offset < 1) {
            throw new ProtocolException("VP9 payload descriptor truncated: payload [" + offset + ", " + end
                    + ") is empty or outside the buffer");
        }
        this.buf = buf;
        flags = buf.getUnsignedByte(offset);
        int at = offset + 1;
        pictureIdOffset = -1;
        pictureIdLength = 0;
        if ((flags & I_BIT) != 0) {
            pictureIdLength = PictureIds.length(buf, at, end, "VP9");
            pictureIdOffset = at;
            at += pictureIdLength;
        }
        temporalId = -1;
        spatialId = -1;
        switchingUp = false;
        interLayerDependency = false;
        tl0PicIdxOffset = -1;
        if ((flags & L_BIT) != 0) {
            PictureIds.require(at, end, 1, "VP9 layer indices");
            int layers = buf.getUnsignedByte(at++);
            temporalId = layers >>> 5;
            switchingUp = (layers & 0x10) != 0;
            spatialId = (layers >>> 1) & 0x07;
            interLayerDependency = (layers & 0x01) != 0;
            if (!flexible()) {
                PictureIds.require(at, end, 1, "VP9 TL0PICIDX");
                tl0PicIdxOffset = at++;
            }
        }
        pDiffCount = 0;
        if (flexible() && interPicturePredicted()) {
            int diff;
            do {
                if (pDiffCount == MAX_P_DIFFS) {
                    throw new ProtocolException("VP9 descriptor has more than 3 reference P_DIFFs");
                }
                PictureIds.require(at, end, 1, "VP9 P_DIFF");
                diff = buf.getUnsignedByte(at++);
                pDiffs[pDiffCount++] = diff >>> 1;
            } while ((diff & N_BIT) != 0);
        }
        spatialLayers = 0;
        hasResolutions = false;
        pictureGroupSize = -1;
        if ((flags & V_BIT) != 0) {
            at = readScalabilityStructure(at, end);
        }
        length = at - offset;
        return this;
    }

    private int readScalabilityStructure(int at, int end) throws ProtocolException {
        PictureIds.require(at, end, 1, "VP9 scalability structure");
        int header = buf.getUnsignedByte(at++);
        spatialLayers = (header >>> 5) + 1;
        hasResolutions = (header & SS_Y_BIT) != 0;
        if (hasResolutions) {
            PictureIds.require(at, end, 4 * spatialLayers, "VP9 scalability structure resolutions");
            for (int i = 0; i < spatialLayers; i++, at += 4) {
                widths[i] = buf.getUnsignedShort(at);
                heights[i] = buf.getUnsignedShort(at + 2);
            }
        }
        if ((header & SS_G_BIT) != 0) {
            PictureIds.require(at, end, 1, "VP9 scalability structure N_G");
            pictureGroupSize = buf.getUnsignedByte(at++);
            for (int i = 0; i < pictureGroupSize; i++) {
                PictureIds.require(at, end, 1, "VP9 picture group entry");
                int entry = buf.getUnsignedByte(at++);
                groupTids[i] = entry >>> 5;
                groupSwitchingUp[i] = (entry & 0x10) != 0;
                int references = (entry >>> 2) & 0x03;
                groupReferenceCounts[i] = references;
                PictureIds.require(at, end, references, "VP9 picture group entry references");
                for (int r = 0; r < references; r++) {
                    groupReferences[i * MAX_GROUP_REFERENCES + r] = buf.getUnsignedByte(at++);
                }
            }
        }
        return at;
    }

    /** Bytes of the descriptor; the VP9 frame data starts this far after the offset. */
    public int encodedLength() {
        return length;
    }

    public boolean interPicturePredicted() {
        return (flags & P_BIT) != 0;
    }

    public boolean flexible() {
        return (flags & F_BIT) != 0;
    }

    public boolean startOfFrame() {
        return (flags & B_BIT) != 0;
    }

    public boolean endOfFrame() {
        return (flags & E_BIT) != 0;
    }

    /** The Z bit: no higher spatial layer of this picture uses this frame as a reference. */
    public boolean notReferenceForUpperSpatialLayers() {
        return (flags & Z_BIT) != 0;
    }

    /** First packet of a key frame: not inter-picture predicted, start of frame, base spatial layer. */
    public boolean keyFrame() {
        return !interPicturePredicted() && startOfFrame() && spatialId <= 0;
    }

    public int pictureId() {
        return pictureIdOffset < 0 ? -1 : PictureIds.read(buf, pictureIdOffset, pictureIdLength);
    }

    public int pictureIdLength() {
        return pictureIdLength;
    }

    public int temporalId() {
        return temporalId;
    }

    /** The U bit: a switching point up to a higher temporal layer. */
    public boolean switchingUp() {
        return switchingUp;
    }

    public int spatialId() {
        return spatialId;
    }

    /** The D bit: this frame depends on the lower spatial layer of the same picture. */
    public boolean interLayerDependency() {
        return interLayerDependency;
    }

    public int tl0PicIdx() {
        return tl0PicIdxOffset < 0 ? -1 : buf.getUnsignedByte(tl0PicIdxOffset);
    }

    /** Reference picture id differences (flexible mode), {@code 0 <= index < pDiffCount()}. */
    public int pDiff(int index) {
        return pDiffs[java.util.Objects.checkIndex(index, pDiffCount)];
    }

    public int pDiffCount() {
        return pDiffCount;
    }

    public boolean hasScalabilityStructure() {
        return (flags & V_BIT) != 0;
    }

    /** N_S + 1 from the scalability structure, 0 without one. */
    public int spatialLayers() {
        return spatialLayers;
    }

    public boolean hasResolutions() {
        return hasResolutions;
    }

    public int width(int spatialLayer) {
        return widths[java.util.Objects.checkIndex(spatialLayer, hasResolutions ? spatialLayers : 0)];
    }

    public int height(int spatialLayer) {
        return heights[java.util.Objects.checkIndex(spatialLayer, hasResolutions ? spatialLayers : 0)];
    }

    /** N_G, or -1 when the structure carries no group of pictures description. */
    public int pictureGroupSize() {
        return pictureGroupSize;
    }

    public int pictureGroupTemporalId(int index) {
        return groupTids[java.util.Objects.checkIndex(index, Math.max(pictureGroupSize, 0))];
    }

    public boolean pictureGroupSwitchingUp(int index) {
        return groupSwitchingUp[java.util.Objects.checkIndex(index, Math.max(pictureGroupSize, 0))];
    }

    public int pictureGroupReferenceCount(int index) {
        return groupReferenceCounts[java.util.Objects.checkIndex(index, Math.max(pictureGroupSize, 0))];
    }

    public int pictureGroupReference(int index, int reference) {
        java.util.Objects.checkIndex(reference, pictureGroupReferenceCount(index));
        return groupReferences[index * MAX_GROUP_REFERENCES + reference];
    }

    /** Rewrites the picture id in place, modulo its field's width. */
    public void setPictureId(int pictureId) {
        if (pictureIdOffset < 0) {
            throw new IllegalStateException("this VP9 descriptor has no picture id");
        }
        PictureIds.write(buf, pictureIdOffset, pictureIdLength, pictureId);
    }

    /** Rewrites TL0PICIDX in place, modulo 256 (non-flexible mode only). */
    public void setTl0PicIdx(int tl0PicIdx) {
        if (tl0PicIdxOffset < 0) {
            throw new IllegalStateException("this VP9 descriptor has no TL0PICIDX");
        }
        buf.setByte(tl0PicIdxOffset, tl0PicIdx & 0xFF);
    }
}
