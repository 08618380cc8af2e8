package io.relaymesh.node.rtp.codec;

import io.relaymesh.node.rtp.RtpPacket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic VP9 L3T3 stream as a publisher sends it (full SVC, D set above S0; temporal pattern T0 T2 T1 T2 with U
 * set on the frames that reference only T0; two packets per layer frame; resolutions 320x180, 640x360, 1280x720 in
 * the keyframe's scalability structure; fewer spatial layers on request), with each layer frame's references so a test can check that what a viewer
 * got is decodable. Public for the SFU's tests; heap buffers, never released (nothing to leak).
 */
public final class Vp9SvcStream {

    private static final int[] TIDS = {0, 2, 1, 2};
    private static final int[] PDIFF = {4, 1, 2, 1};

    /** A layer frame (picture id, spatial id) and its references, as (picture id, spatial id) keys. */
    public record LayerFrame(int key, List<Integer> references, List<RtpPacket> packets) {
    }

    private final boolean flexible;
    private int picture = 32_760; // picture ids wrap during the stream
    private int phase;
    private int sequence;
    private int[] payloadBytes = {1, 1, 1};
    private int layers = 3;
    /** The first spatial layer whose next frame starts it over (not inter-picture predicted), 3 when none. */
    private int restartFrom = 3;
    private boolean announce;

    /** @param flexible flexible mode (P_DIFFs) rather than non-flexible (TL0PICIDX, group of pictures) */
    public Vp9SvcStream(boolean flexible) {
        this.flexible = flexible;
    }

    /** Sets the VP9 payload bytes after the descriptor of each packet of spatial layer 0, 1 and 2 (1 by default). */
    public Vp9SvcStream payloadBytes(int s0, int s1, int s2) {
        payloadBytes = new int[] {s0, s1, s2};
        return this;
    }

    /**
     * Sends {@code count} spatial layers from the next picture on, as an encoder does when its estimate moves: the
     * next picture carries a scalability structure with the new count, and a layer that comes on starts with a
     * frame that is not inter-picture predicted (it has nothing current to predict from).
     */
    public Vp9SvcStream spatialLayers(int count) {
        if (count != layers) {
            restartFrom = count > layers ? layers : 3;
            layers = count;
            announce = true;
        }
        return this;
    }

    /** The layer frames of the next picture; {@code upperLayersIntraOnly}: S1 and S2 not inter-picture predicted. */
    public List<LayerFrame> next(boolean keyframe, boolean upperLayersIntraOnly) {
        if (keyframe) {
            phase = 0;
        }
        int tid = TIDS[phase % 4];
        int pid = picture & 0x7FFF;
        List<LayerFrame> frames = new ArrayList<>();
        for (int s = 0; s < layers; s++) {
            boolean interPicture = !keyframe && !(upperLayersIntraOnly && s > 0) && s < restartFrom;
            List<Integer> references = new ArrayList<>();
            if (interPicture) {
                references.add(key((pid - PDIFF[phase % 4]) & 0x7FFF, s));
            }
            if (s > 0) {
                references.add(key(pid, s - 1));
            }
            List<RtpPacket> packets = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                ByteArrayOutputStream d = new ByteArrayOutputStream();
                boolean ss = (keyframe || announce) && s == 0 && p == 0;
                d.write(0x80 | (interPicture ? 0x40 : 0) | 0x20 | (flexible ? 0x10 : 0) | (p == 0 ? 0x08 : 0)
                        | (p == 1 ? 0x04 : 0) | (ss ? 0x02 : 0));
                d.write(0x80 | (pid >>> 8));
                d.write(pid & 0xFF);
                boolean switchingUp = tid > 0 && PDIFF[phase % 4] == (tid == 1 ? 2 : 1) && phase % 4 != 3;
                d.write(tid << 5 | (switchingUp ? 0x10 : 0) | s << 1 | (s > 0 ? 1 : 0));
                if (!flexible) {
                    d.write((picture / 4) & 0xFF); // TL0PICIDX
                } else if (interPicture) {
                    d.write(PDIFF[phase % 4] << 1);
                }
                if (ss) {
                    d.write((layers - 1) << 5 | 0x10 | (flexible ? 0 : 0x08)); // N_S, Y, G in non-flexible mode
                    for (int layer = 0; layer < layers; layer++) {
                        int w = 320 << layer;
                        int h = 180 << layer;
                        d.write(w >>> 8);
                        d.write(w);
                        d.write(h >>> 8);
                        d.write(h);
                    }
                    if (!flexible) {
                        d.write(4);
                        d.write(0x04); // T0, one reference
                        d.write(4);
                        d.write(2 << 5 | 0x10 | 0x04);
                        d.write(1);
                        d.write(1 << 5 | 0x10 | 0x04);
                        d.write(2);
                        d.write(2 << 5 | 0x04);
                        d.write(1);
                    }
                }
                for (int i = 0; i < payloadBytes[s]; i++) {
                    d.write(0x42);
                }
                packets.add(CodecPackets.packet(p == 1 && s == layers - 1, sequence++ & 0xFFFF, 3000 * picture, 0, null,
                        d.toByteArray()));
            }
            frames.add(new LayerFrame(key(pid, s), references, packets));
        }
        picture++;
        phase++;
        announce = false;
        restartFrom = 3;
        return frames;
    }

    /** The key of layer frame (picture id, spatial id), as {@link LayerFrame#key()} and references spell it. */
    public static int key(int pid, int sid) {
        return pid * 8 + sid;
    }
}
