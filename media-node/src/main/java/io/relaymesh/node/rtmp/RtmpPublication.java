package io.relaymesh.node.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtmp.chunk.RtmpMessage;
import io.relaymesh.node.rtmp.flv.AudioSpecificConfig;
import io.relaymesh.node.rtmp.flv.AvcDecoderConfigurationRecord;
import io.relaymesh.node.rtmp.flv.AvccNalUnits;
import io.relaymesh.node.rtmp.flv.FlvAudioTag;
import io.relaymesh.node.rtmp.flv.FlvVideoTag;
import io.relaymesh.node.rtmp.media.AacToOpus;
import io.relaymesh.node.rtmp.media.H264Packetizer;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.sfu.Ingest;
import io.relaymesh.node.sfu.MediaKind;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One published RTMP stream turned into RTP: FLV AVC to RTP H264 (track 0, 90 kHz) and FLV AAC to Opus (track 1,
 * 48 kHz). Runs on the connection's thread; packets and warnings go to a {@link RoomPublisher.Stream} (the room's
 * {@link Ingest}).
 */
final class RtmpPublication {

    /** Code of the session warning sent when a stream has B-frames. */
    static final String B_FRAMES_WARNING = "rtmp.b-frames";
    static final int VIDEO_TRACK = 0;
    static final int AUDIO_TRACK = 1;
    static final int H264_PAYLOAD_TYPE = 96;
    static final int OPUS_PAYLOAD_TYPE = 111;
    static final List<Ingest.Track> TRACKS = List.of(
            new Ingest.Track(MediaKind.VIDEO, "H264", 90_000, H264_PAYLOAD_TYPE),
            new Ingest.Track(MediaKind.AUDIO, "opus", AacToOpus.OPUS_RATE, OPUS_PAYLOAD_TYPE));
    /** RTP payload budget: leaves room for SRTP, header extensions and tunnels within a 1500-byte MTU. */
    static final int MAX_RTP_PAYLOAD = 1200;

    private static final Logger LOG = LoggerFactory.getLogger(RtmpPublication.class);

    private final String sessionId;
    private final ByteBufAllocator allocator;
    private final RoomPublisher.Stream output;
    private final H264Packetizer video;
    private final int videoTimestampBase;
    private final int audioTimestampBase;
    private final int audioSsrc;
    private int audioSequence;
    private int nalLengthSize;
    private boolean videoConfigured;
    private AacToOpus audio;
    private long firstAudioMillis = -1;
    private boolean bFramesWarned;
    private long videoFrames;
    private long audioFrames;

    RtmpPublication(String sessionId, ByteBufAllocator allocator, RandomGenerator random, RoomPublisher.Stream output) {
        this.sessionId = sessionId;
        this.allocator = allocator;
        this.output = output;
        this.video = new H264Packetizer(allocator, H264_PAYLOAD_TYPE, random.nextInt(), random.nextInt(1 << 16),
                MAX_RTP_PAYLOAD);
        this.videoTimestampBase = random.nextInt();
        this.audioTimestampBase = random.nextInt();
        this.audioSsrc = random.nextInt();
        this.audioSequence = random.nextInt(1 << 16);
    }

    /** Handles a video message (an FLV video tag body). */
    void onVideo(RtmpMessage message) throws ProtocolException {
        FlvVideoTag tag = FlvVideoTag.parse(message.payload());
        if (tag.frameType() == FlvVideoTag.FRAME_INFO) {
            return;
        }
        switch (tag.packetType()) {
            case FlvVideoTag.AVC_SEQUENCE_HEADER -> {
                AvcDecoderConfigurationRecord config = AvcDecoderConfigurationRecord.parse(tag.data());
                nalLengthSize = config.nalLengthSize();
                video.parameterSets(config.sps(), config.pps());
                videoConfigured = true;
                LOG.info("rtmp {}: H.264 profile {} level {}, {}-byte NAL lengths", sessionId, config.profile(),
                        config.level(), nalLengthSize);
            }
            case FlvVideoTag.AVC_NALU -> {
                if (!videoConfigured) {
                    throw new ProtocolException("H.264 frame before the AVC sequence header");
                }
                if (tag.compositionTime() != 0 && !bFramesWarned) {
                    bFramesWarned = true;
                    LOG.warn("rtmp {}: the stream has B-frames (composition time offset {} ms): WebRTC viewers get "
                            + "frames in decode order, which some decoders show with judder; publish with -bf 0 "
                            + "(ffmpeg) or a zero-latency/baseline profile (OBS)", sessionId, tag.compositionTime());
                    output.warn(B_FRAMES_WARNING, "the stream has B-frames: viewers get frames in decode order; "
                            + "use -bf 0 or a zero-latency profile");
                }
                List<ByteBuf> units = AvccNalUnits.split(tag.data(), nalLengthSize);
                long presentation = message.timestamp() + tag.compositionTime();
                int timestamp = videoTimestampBase + (int) (presentation * 90);
                video.packetize(units, timestamp, packet -> output.send(VIDEO_TRACK, packet));
                videoFrames++;
            }
            default -> { } // end of sequence: nothing to send
        }
    }

    /** Handles an audio message (an FLV audio tag body). */
    void onAudio(RtmpMessage message) throws ProtocolException {
        FlvAudioTag tag = FlvAudioTag.parse(message.payload());
        if (tag.packetType() == FlvAudioTag.AAC_SEQUENCE_HEADER) {
            AudioSpecificConfig config = AudioSpecificConfig.parse(tag.data());
            audio = new AacToOpus(config);
            LOG.info("rtmp {}: AAC object type {}, {} Hz, {} channel(s) -> Opus 48000 Hz, {} channel(s)", sessionId,
                    config.objectType(), config.sampleRate(), config.channels(), audio.channels());
            return;
        }
        if (audio == null) {
            throw new ProtocolException("AAC frame before the AAC sequence header");
        }
        if (!tag.data().isReadable()) {
            return;
        }
        if (firstAudioMillis < 0) {
            firstAudioMillis = message.timestamp();
        }
        long anchor = firstAudioMillis * (AacToOpus.OPUS_RATE / 1000);
        audio.decode(ByteBufUtil.getBytes(tag.data()), (opus, length, sampleOffset) -> {
            ByteBuf packet = allocator.buffer(12 + length + 16);
            RtpHeaderWriter.writeHeader(packet, OPUS_PAYLOAD_TYPE, false, audioSequence,
                    audioTimestampBase + (int) (anchor + sampleOffset), audioSsrc);
            audioSequence = (audioSequence + 1) & 0xFFFF;
            packet.writeBytes(opus, 0, length);
            output.send(AUDIO_TRACK, packet);
        });
        audioFrames++;
    }

    boolean hasBFrames() {
        return bFramesWarned;
    }

    long videoFrames() {
        return videoFrames;
    }

    long audioFrames() {
        return audioFrames;
    }
}
