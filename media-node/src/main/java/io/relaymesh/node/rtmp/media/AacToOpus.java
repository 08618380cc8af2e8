package io.relaymesh.node.rtmp.media;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtmp.flv.AudioSpecificConfig;
import java.util.List;
import net.sourceforge.jaad.aac.Decoder;

/**
 * AAC in, Opus out: decodes AAC frames to PCM (pure Java), resamples to 48 kHz, and encodes 20 ms Opus frames
 * (pure Java). Mono stays mono, stereo stays stereo, more channels are folded to stereo.
 *
 * <p>Not thread-safe: one instance per stream, called from the connection's thread.
 */
public final class AacToOpus {

    /** Opus's RTP clock and the rate everything is resampled to. */
    public static final int OPUS_RATE = 48_000;
    /** Samples per channel in one 20 ms frame. */
    public static final int FRAME_SAMPLES = OPUS_RATE / 50;
    /** Largest Opus packet the encoder may produce (RFC 6716 allows 1275 per frame). */
    static final int MAX_PACKET = 1275;

    /** Receives each encoded frame. */
    @FunctionalInterface
    public interface FrameSink {
        /**
         * @param packet       Opus packet bytes (valid only during the call)
         * @param length       packet length
         * @param sampleOffset 48 kHz samples since the first frame: where this frame starts
         */
        void frame(byte[] packet, int length, long sampleOffset);
    }

    private final Decoder decoder;
    private final int channels;
    private final int inputRate;
    private final Resampler[] resamplers;
    private final OpusEncoder encoder;
    private final float[][] resampled;
    private final short[] frame;
    private final byte[] packet = new byte[MAX_PACKET];
    private boolean started;
    private int framed;
    private long samplesOut;
    private ProtocolException failure;

    public AacToOpus(AudioSpecificConfig config) throws ProtocolException {
        try {
            this.decoder = Decoder.create(config.bytes());
        } catch (Exception e) {
            throw new ProtocolException("AAC: the decoder refuses this AudioSpecificConfig: " + e.getMessage());
        }
        this.channels = config.channels() == 1 ? 1 : 2;
        this.inputRate = config.sampleRate();
        this.resamplers = new Resampler[channels];
        this.resampled = new float[channels][];
        this.frame = new short[FRAME_SAMPLES * channels];
        try {
            this.encoder = new OpusEncoder(OPUS_RATE, channels, OpusApplication.OPUS_APPLICATION_AUDIO);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus encoder cannot start: " + e.getMessage(), e);
        }
        encoder.setBitrate(channels == 1 ? 64_000 : 96_000);
        encoder.setComplexity(5); // pure Java: half the CPU of 10 at a barely audible cost
    }

    public int channels() {
        return channels;
    }

    /** Decodes one raw AAC frame and emits every Opus frame completed by it. */
    public void decode(byte[] aacFrame, FrameSink sink) throws ProtocolException {
        failure = null;
        try {
            decoder.decodeFrame(aacFrame, (pcm, samples, rate) -> accept(pcm, samples, rate, sink));
        } catch (RuntimeException e) {
            throw new ProtocolException("AAC: undecodable frame: " + e.getMessage());
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void accept(List<float[]> pcm, int samples, int rate, FrameSink sink) {
        if (pcm.isEmpty() || samples <= 0) {
            return;
        }
        if (!started) {
            // SBR (HE-AAC) doubles the output rate relative to the configured core rate: use what the decoder says
            started = true;
            for (int c = 0; c < channels; c++) {
                resamplers[c] = rate == OPUS_RATE ? null : new Resampler(rate, OPUS_RATE);
            }
        }
        int produced = 0;
        for (int c = 0; c < channels; c++) {
            float[] in = channel(pcm, c, samples);
            Resampler r = resamplers[c];
            if (r == null) {
                resampled[c] = ensure(resampled[c], samples);
                System.arraycopy(in, 0, resampled[c], 0, samples);
                produced = samples;
            } else {
                resampled[c] = ensure(resampled[c], r.maxOutput(samples));
                produced = r.process(in, 0, samples, resampled[c], 0);
            }
        }
        for (int i = 0; i < produced; i++) {
            for (int c = 0; c < channels; c++) {
                frame[framed * channels + c] = toShort(resampled[c][i]);
            }
            if (++framed == FRAME_SAMPLES) {
                framed = 0;
                try {
                    int length = encoder.encode(frame, 0, FRAME_SAMPLES, packet, 0, packet.length);
                    sink.frame(packet, length, samplesOut);
                } catch (OpusException e) {
                    failure = new ProtocolException("Opus encoder failed: " + e.getMessage());
                    return;
                }
                samplesOut += FRAME_SAMPLES;
            }
        }
    }

    /** Channel {@code c} of the output: a mono source once, more than two channels folded left/right. */
    private float[] channel(List<float[]> pcm, int c, int samples) {
        if (pcm.size() <= 2 || channels == 1) {
            return pcm.get(Math.min(c, pcm.size() - 1));
        }
        float[] mix = new float[samples];
        for (int k = c; k < pcm.size(); k += 2) {
            float[] src = pcm.get(k);
            for (int i = 0; i < samples; i++) {
                mix[i] += src[i] / ((pcm.size() + 1) / 2f);
            }
        }
        return mix;
    }

    private static float[] ensure(float[] buffer, int length) {
        return buffer != null && buffer.length >= length ? buffer : new float[Math.max(length, 2048)];
    }

    private static short toShort(float sample) {
        int v = Math.round(sample);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }

    /** The sampling rate of the AAC input. */
    public int inputRate() {
        return inputRate;
    }
}
