package io.relaymesh.node.rtp.codec;

import static io.relaymesh.node.rtp.codec.Av1DependencyStructure.DTI_DISCARDABLE;
import static io.relaymesh.node.rtp.codec.Av1DependencyStructure.DTI_NOT_PRESENT;
import static io.relaymesh.node.rtp.codec.Av1DependencyStructure.DTI_REQUIRED;
import static io.relaymesh.node.rtp.codec.Av1DependencyStructure.DTI_SWITCH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic AV1 L3T3 stream (full SVC: each spatial layer predicts from the one below in the same temporal
 * unit) with its dependency descriptors. Temporal pattern per four temporal units: T0, T2, T1, T2. Frame numbers
 * are {@code 3 * temporalUnit + spatialId}. Decode target {@code 3 * s + t} holds the frames up to S{s}T{t}; one
 * chain per spatial layer over the T0 frames up to that layer.
 *
 * <p>Templates, five per spatial layer s at index {@code 5 s}: keyframe, T0 delta (references T0 four units back),
 * T1 (T0 two units back), T2 after T0, T2 after T1 (the previous unit); layers above 0 also reference the lower
 * layer of the same unit (frame diff 1).
 *
 * <p>Public for the SFU's tests.
 */
public final class Av1FixtureStreams {

    public static final int EXTENSION_ID = 9;
    static final int LAYERS = 3;

    private Av1FixtureStreams() {
    }

    static Av1DependencyStructure l3t3Structure(int templateIdOffset) {
        List<Av1DependencyStructure.Template> templates = new ArrayList<>();
        for (int s = 0; s < LAYERS; s++) {
            templates.add(template(s, 0, Kind.KEY));
            templates.add(template(s, 0, Kind.T0));
            templates.add(template(s, 1, Kind.T1));
            templates.add(template(s, 2, Kind.T2_AFTER_T0));
            templates.add(template(s, 2, Kind.T2_AFTER_T1));
        }
        return new Av1DependencyStructure(templateIdOffset, 9, templates, 3, new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2},
                new int[] {320, 640, 1280}, new int[] {180, 360, 720});
    }

    enum Kind {
        KEY(0), T0(0), T1(2), T2_AFTER_T0(1), T2_AFTER_T1(3);

        /** Temporal units since the last T0 unit. */
        final int phase;

        Kind(int phase) {
            this.phase = phase;
        }

        static Kind ofPhase(int phase) {
            return switch (phase % 4) {
                case 0 -> T0;
                case 1 -> T2_AFTER_T0;
                case 2 -> T1;
                default -> T2_AFTER_T1;
            };
        }
    }

    private static Av1DependencyStructure.Template template(int s, int t, Kind kind) {
        List<Integer> dtis = new ArrayList<>();
        for (int ds = 0; ds < LAYERS; ds++) {
            for (int dt = 0; dt < 3; dt++) {
                int dti;
                if (s > ds || t > dt) {
                    dti = DTI_NOT_PRESENT;
                } else if (kind == Kind.KEY) {
                    dti = DTI_SWITCH;
                } else if (kind == Kind.T1) {
                    dti = s == ds ? DTI_SWITCH : DTI_REQUIRED;
                } else if (t == 2) {
                    dti = s == ds ? DTI_DISCARDABLE : DTI_REQUIRED;
                } else {
                    dti = DTI_REQUIRED;
                }
                dtis.add(dti);
            }
        }
        return new Av1DependencyStructure.Template(s, t, dtis, fdiffs(s, kind), chainFdiffs(s, kind));
    }

    static List<Integer> fdiffs(int s, Kind kind) {
        List<Integer> out = new ArrayList<>();
        switch (kind) {
            case KEY -> { }
            case T0 -> out.add(12);
            case T1 -> out.add(6);
            default -> out.add(3);
        }
        if (s > 0) {
            out.add(1);
        }
        return out;
    }

    private static List<Integer> chainFdiffs(int s, Kind kind) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < LAYERS; c++) {
            int diff;
            if (kind.phase != 0) {
                diff = 3 * kind.phase + s - c;
            } else if (s > 0) {
                diff = c >= s ? 1 : s - c;
            } else {
                diff = kind == Kind.KEY ? 0 : 12 - c;
            }
            out.add(diff);
        }
        return out;
    }

    /** One frame of the stream and the two packets that carry it. */
    public record Frame(int unit, int frameNumber, int spatialId, int temporalId, List<Integer> references,
                 List<RtpPacket> packets) {
    }

    /** Generates the stream temporal unit by temporal unit; a keyframe restarts the pattern. */
    public static final class Generator {
        private final Av1DependencyStructure structure;
        private final int offset;
        private int unit = 21_830; // frame numbers wrap during the stream
        private int phase;
        private int sequence = 1000;
        private int activeMask = -1;

        public Generator(int templateIdOffset) {
            this.offset = templateIdOffset;
            this.structure = l3t3Structure(templateIdOffset);
        }

        /** The next bitmask goes into the next keyframe's first packet and the next unit's first packet. */
        void activeDecodeTargets(int mask) {
            activeMask = mask;
        }

        public List<Frame> nextUnit(boolean keyframe) {
            if (keyframe) {
                phase = 0;
            }
            Kind kind = keyframe ? Kind.KEY : Kind.ofPhase(phase);
            List<Frame> frames = new ArrayList<>();
            for (int s = 0; s < LAYERS; s++) {
                int frameNumber = (3 * unit + s) & 0xFFFF;
                int templateIndex = 5 * s + kind.ordinal();
                int templateId = (offset + templateIndex) % 64;
                List<RtpPacket> packets = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    Av1DependencyDescriptor.Fields fields =
                            Av1DependencyDescriptor.Fields.of(p == 0, p == 1, templateId, frameNumber);
                    if (p == 0 && s == 0 && keyframe) {
                        fields = fields.withStructure(structure);
                    }
                    if (p == 0 && s == 0 && activeMask >= 0) {
                        fields = fields.withActiveDecodeTargets(activeMask);
                    }
                    ByteBuf dd = Unpooled.buffer();
                    fields.writeTo(dd, structure);
                    byte[] ext = new byte[dd.readableBytes()];
                    dd.readBytes(ext);
                    boolean marker = p == 1 && s == LAYERS - 1;
                    byte aggregation = (byte) (keyframe && s == 0 && p == 0 ? 0x18 : 0x10); // W=1, N on keyframe
                    packets.add(CodecPackets.packet(marker, sequence++ & 0xFFFF, 3000 * unit, EXTENSION_ID, ext,
                            new byte[] {aggregation, 0x32, 0x00, 0x01}));
                }
                List<Integer> references = new ArrayList<>();
                for (int fdiff : fdiffs(s, kind)) {
                    references.add((frameNumber - fdiff) & 0xFFFF);
                }
                frames.add(new Frame(unit, frameNumber, s, kind == Kind.KEY ? 0 : structure.templateTemporalId(
                        templateIndex), references, packets));
            }
            if (activeMask >= 0 && !keyframe) {
                activeMask = -1;
            }
            unit++;
            phase++;
            return frames;
        }
    }
}
