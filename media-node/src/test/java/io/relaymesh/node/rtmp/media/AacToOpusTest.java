package io.relaymesh.node.rtmp.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtmp.flv.AudioSpecificConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AAC-to-Opus path end to end: AAC frames from ffmpeg (a 1 kHz tone at 44.1 kHz, see
 * {@code src/test/resources/rtmp/README.md}) in, Opus out, decoded again with an independent Opus decoder.
 */
class AacToOpusTest {

    /** AAC frames of an ADTS file and the AudioSpecificConfig its first header implies. */
    record Adts(AudioSpecificConfig config, List<byte[]> frames) {

        static Adts load(String resource) throws IOException, ProtocolException {
            byte[] file;
            try (InputStream in = AacToOpusTest.class.getResourceAsStream(resource)) {
                assertThat(in).as(resource).isNotNull();
                file = in.readAllBytes();
            }
            List<byte[]> frames = new ArrayList<>();
            AudioSpecificConfig config = null;
            int at = 0;
            while (at + 7 <= file.length) {
                int length = ((file[at + 3] & 0x03) << 11) | ((file[at + 4] & 0xFF) << 3) | ((file[at + 5] & 0xFF) >>> 5);
                int header = (file[at + 1] & 0x01) == 0 ? 9 : 7;
                if (config == null) {
                    int profile = ((file[at + 2] & 0xFF) >>> 6) + 1;
                    int index = ((file[at + 2] & 0xFF) >>> 2) & 0x0F;
                    int channels = ((file[at + 2] & 0x01) << 2) | ((file[at + 3] & 0xFF) >>> 6);
                    byte[] asc = {(byte) ((profile << 3) | (index >>> 1)), (byte) (((index & 1) << 7) | (channels << 3))};
                    config = AudioSpecificConfig.parse(Unpooled.wrappedBuffer(asc));
                }
                frames.add(Arrays.copyOfRange(file, at + header, at + length));
                at += length;
            }
            return new Adts(config, frames);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tone-1khz-44100-mono.aac, 1", "tone-1khz-44100-stereo.aac, 2"})
    void aOneKilohertzToneComesOutAsAOneKilohertzTone(String file, int channels) throws Exception {
        Adts adts = Adts.load("/rtmp/" + file);
        assertThat(adts.config().sampleRate()).isEqualTo(44_100);
        AacToOpus transcoder = new AacToOpus(adts.config());
        assertThat(transcoder.channels()).isEqualTo(channels);
        OpusDecoder decoder = new OpusDecoder(48_000, channels);
        short[] pcm = new short[48_000 * 2 * channels];
        int[] decoded = {0};
        List<Long> offsets = new ArrayList<>();
        for (byte[] frame : adts.frames()) {
            transcoder.decode(frame, (packet, length, sampleOffset) -> {
                offsets.add(sampleOffset);
                try {
                    decoded[0] += decoder.decode(packet, 0, length, pcm, decoded[0] * channels, AacToOpus.FRAME_SAMPLES,
                            false);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        // 1 s of 44.1 kHz in: about fifty 20 ms frames, each 960 samples after the previous
        assertThat(offsets.size()).isBetween(45, 53);
        for (int i = 0; i < offsets.size(); i++) {
            assertThat(offsets.get(i)).isEqualTo(i * 960L);
        }
        for (int c = 0; c < channels; c++) {
            float[] channel = new float[decoded[0]];
            for (int i = 0; i < decoded[0]; i++) {
                channel[i] = pcm[i * channels + c];
            }
            int from = 4800;
            int to = decoded[0] - 2400;
            assertThat(Tones.frequency(channel, from, to, 48_000)).as("channel %d", c).isCloseTo(1000.0, within(2.0));
            double tone = Tones.power(channel, from, to, 1000, 48_000);
            assertThat(2 * Math.sqrt(tone)).as("amplitude of ffmpeg's sine (1/8 full scale)").isBetween(2500.0, 5500.0);
            assertThat(Tones.power(channel, from, to, 1500, 48_000)).isLessThan(tone * 1e-2);
        }
    }

    @Test
    void garbageAndTruncatedFramesAreRefusedWithAReason() throws Exception {
        Adts adts = Adts.load("/rtmp/tone-1khz-44100-stereo.aac");
        AacToOpus transcoder = new AacToOpus(adts.config());
        byte[] frame = adts.frames().get(10);
        byte[] garbage = new byte[frame.length];
        Arrays.fill(garbage, (byte) 0xFF);
        for (byte[] input : List.of(Arrays.copyOf(frame, frame.length / 3), garbage, new byte[1])) {
            try {
                transcoder.decode(input, (p, l, o) -> { });
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).startsWith("AAC:");
            }
        }
        // the transcoder still works after refusing bad frames
        int[] frames = {0};
        for (byte[] f : adts.frames().subList(11, 30)) {
            try {
                transcoder.decode(f, (p, l, o) -> frames[0]++);
            } catch (ProtocolException e) {
                // the first frames after garbage may depend on the lost state
            }
        }
        assertThat(frames[0]).isPositive();
    }

    @Test
    void aTruncatedConfigIsRefused() {
        assertThatThrownBy(() -> AudioSpecificConfig.parse(Unpooled.wrappedBuffer(new byte[] {0x12})))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("truncated");
    }
}
