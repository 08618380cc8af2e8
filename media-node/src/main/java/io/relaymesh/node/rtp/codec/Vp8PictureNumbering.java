package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * Keeps the VP8 picture id and TL0PICIDX (RFC 7741 section 4.2) of one viewer's stream continuous when the SFU
 * switches it to another stream (another simulcast layer or publisher): after {@link #streamSwitched()} the next
 * picture gets the last picture id + 1 and the next TL0PICIDX the last + 1, and each field continues from there
 * with the new stream's own steps. Frames the viewer does not get (temporal layers above its target) leave gaps
 * in the picture id, as a lost frame would; the receiver tells missing references apart by TL0PICIDX and TID.
 *
 * <p>Fields are rewritten in place with their original width (7- or 15-bit picture id). Event loop only; no
 * allocation.
 */
public final class Vp8PictureNumbering {

    private final Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
    private boolean switching = true;
    private boolean started;
    private int pictureIdOffset;
    private int tl0Offset;
    private int lastPictureId = -1;
    private int lastTl0 = -1;
    private int pictureId = -1;
    private int tl0PicIdx = -1;

    /** The next packet starts another stream: renumber from the last values sent. */
    public void streamSwitched() {
        switching = true;
    }

    /**
     * Rewrites the descriptor of the packet whose VP8 payload is {@code [offset, end)} of {@code buf}.
     *
     * @return false when the descriptor is malformed (the packet is left unchanged)
     */
    public boolean rewrite(ByteBuf buf, int offset, int end) {
        pictureId = -1;
        tl0PicIdx = -1;
        try {
            descriptor.wrap(buf, offset, end);
        } catch (ProtocolException e) {
            return false;
        }
        int inPictureId = descriptor.pictureId();
        int inTl0 = descriptor.tl0PicIdx();
        if (switching) {
            switching = false;
            pictureIdOffset = started && inPictureId >= 0 && lastPictureId >= 0 ? lastPictureId + 1 - inPictureId : 0;
            tl0Offset = started && inTl0 >= 0 && lastTl0 >= 0 ? lastTl0 + 1 - inTl0 : 0;
        }
        started = true;
        if (inPictureId >= 0) {
            descriptor.setPictureId(inPictureId + pictureIdOffset);
            pictureId = descriptor.pictureId();
            int half = descriptor.pictureIdLength() == 2 ? 0x4000 : 0x40;
            int mask = descriptor.pictureIdLength() == 2 ? 0x7FFF : 0x7F;
            int ahead = (pictureId - lastPictureId) & mask;
            if (lastPictureId < 0 || (ahead != 0 && ahead < half)) {
                lastPictureId = pictureId;
            }
        }
        if (inTl0 >= 0) {
            descriptor.setTl0PicIdx(inTl0 + tl0Offset);
            tl0PicIdx = descriptor.tl0PicIdx();
            int ahead = (tl0PicIdx - lastTl0) & 0xFF;
            if (lastTl0 < 0 || (ahead != 0 && ahead < 0x80)) {
                lastTl0 = tl0PicIdx;
            }
        }
        return true;
    }

    /**
     * Writes the picture id and TL0PICIDX a packet was sent with into a copy of it (a retransmission); -1 leaves a
     * field alone.
     *
     * @return false when the descriptor is malformed
     */
    public boolean restore(ByteBuf buf, int offset, int end, int pictureId, int tl0PicIdx) {
        try {
            descriptor.wrap(buf, offset, end);
        } catch (ProtocolException e) {
            return false;
        }
        if (pictureId >= 0 && descriptor.pictureId() >= 0) {
            descriptor.setPictureId(pictureId);
        }
        if (tl0PicIdx >= 0 && descriptor.tl0PicIdx() >= 0) {
            descriptor.setTl0PicIdx(tl0PicIdx);
        }
        return true;
    }

    /** Picture id written by the last {@link #rewrite}, -1 when the packet had none. */
    public int pictureId() {
        return pictureId;
    }

    /** TL0PICIDX written by the last {@link #rewrite}, -1 when the packet had none. */
    public int tl0PicIdx() {
        return tl0PicIdx;
    }
}
