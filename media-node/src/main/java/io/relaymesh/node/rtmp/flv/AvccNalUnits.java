package io.relaymesh.node.rtmp.flv;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/** Splits an AVCC access unit (NAL units each preceded by a big-endian length) into its NAL units. */
public final class AvccNalUnits {

    /** More NAL units than this in one frame is not a real encoder's output. */
    public static final int MAX_NAL_UNITS = 256;

    private AvccNalUnits() {
    }

    /**
     * Slices (not retained, not copied) of each NAL unit in the readable bytes of {@code data}.
     *
     * @param lengthSize 1, 2 or 4, from the configuration record
     */
    public static List<ByteBuf> split(ByteBuf data, int lengthSize) throws ProtocolException {
        List<ByteBuf> units = new ArrayList<>();
        int at = data.readerIndex();
        int end = data.writerIndex();
        while (at < end) {
            if (end - at < lengthSize) {
                throw new ProtocolException("AVC frame truncated in a NAL length prefix");
            }
            long length = switch (lengthSize) {
                case 1 -> data.getUnsignedByte(at);
                case 2 -> data.getUnsignedShort(at);
                default -> data.getUnsignedInt(at);
            };
            at += lengthSize;
            if (length == 0) {
                continue;
            }
            if (length > end - at) {
                throw new ProtocolException("AVC frame: NAL unit of " + length + " bytes exceeds the "
                        + (end - at) + " left");
            }
            if (units.size() >= MAX_NAL_UNITS) {
                throw new ProtocolException("AVC frame with more than " + MAX_NAL_UNITS + " NAL units");
            }
            units.add(data.slice(at, (int) length));
            at += (int) length;
        }
        return units;
    }
}
