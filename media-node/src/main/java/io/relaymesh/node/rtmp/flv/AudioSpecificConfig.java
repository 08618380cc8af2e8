package io.relaymesh.node.rtmp.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * The AAC sequence header (ISO/IEC 14496-3 section 1.6.2.1): object type, sampling rate and channels.
 *
 * <pre>
 * audioObjectType (5 bits; 31 escapes to 32 + 6 more bits)
 * samplingFrequencyIndex (4 bits; 15 escapes to a 24-bit frequency)
 * channelConfiguration (4 bits: 1 mono, 2 stereo, ... 7 = 7.1)
 * (object-type specific bits follow; the decoder reads them from {@link #bytes})
 * </pre>
 *
 * @param objectType   2 = AAC LC, 5 = SBR (HE-AAC), 29 = PS (HE-AAC v2)
 * @param sampleRate   Hz
 * @param channels     channel configuration (0 means "in the stream", refused)
 * @param bytes        the whole config, as the decoder wants it
 */
public record AudioSpecificConfig(int objectType, int sampleRate, int channels, byte[] bytes) {

    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
        8000, 7350};
    /** Longest config accepted; real ones are 2 to 7 bytes. */
    public static final int MAX_LENGTH = 64;

    public static AudioSpecificConfig parse(ByteBuf in) throws ProtocolException {
        int length = in.readableBytes();
        if (length < 2) {
            throw new ProtocolException("AudioSpecificConfig truncated (" + length + " bytes)");
        }
        if (length > MAX_LENGTH) {
            throw new ProtocolException("AudioSpecificConfig of " + length + " bytes is implausible");
        }
        byte[] bytes = ByteBufUtil.getBytes(in);
        BitReader bits = new BitReader(bytes);
        int objectType = bits.read(5);
        if (objectType == 31) {
            objectType = 32 + bits.read(6);
        }
        int index = bits.read(4);
        int rate;
        if (index == 15) {
            rate = bits.read(24);
        } else if (index < RATES.length) {
            rate = RATES[index];
        } else {
            throw new ProtocolException("AudioSpecificConfig: reserved sampling frequency index " + index);
        }
        int channels = bits.read(4);
        if (rate < 8000 || rate > 96000) {
            throw new ProtocolException("AudioSpecificConfig: sampling rate " + rate + " Hz is not supported");
        }
        if (channels < 1 || channels > 7) {
            throw new ProtocolException("AudioSpecificConfig: channel configuration " + channels
                    + " is not supported (1 mono .. 7)");
        }
        return new AudioSpecificConfig(objectType, rate, channels, bytes);
    }

    /** MSB-first bit reader that throws on reading past the end. */
    private static final class BitReader {
        private final byte[] bytes;
        private int position;

        BitReader(byte[] bytes) {
            this.bytes = bytes;
        }

        int read(int count) throws ProtocolException {
            if (position + count > bytes.length * 8) {
                throw new ProtocolException("AudioSpecificConfig truncated");
            }
            int value = 0;
            for (int i = 0; i < count; i++) {
                int bit = (bytes[position >>> 3] >>> (7 - (position & 7))) & 1;
                value = (value << 1) | bit;
                position++;
            }
            return value;
        }
    }
}
