package io.relaymesh.node.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The AV1 dependency descriptor and VP9 payload descriptor parsers on arbitrary bytes: they either reject them
 * with a {@link ProtocolException} or yield a view whose every accessor works. Under plain {@code mvn test} Jazzer
 * runs the seeds in {@code CodecDescriptorFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class CodecDescriptorFuzzTest {

    private static final Av1DependencyStructure L1T2 = structure();

    private static Av1DependencyStructure structure() {
        try {
            return Av1DependencyDescriptorTest.l1t2();
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void dependencyDescriptorRejectsOrYieldsAUsableView(byte[] data) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        for (Av1DependencyStructure known : new Av1DependencyStructure[] {null, L1T2}) {
            try {
                Av1DependencyDescriptor dd = new Av1DependencyDescriptor().wrap(buf, 0, data.length, known);
                assertThat(dd.frameNumber()).isBetween(0, 0xFFFF);
                if (dd.resolved()) {
                    Av1DependencyStructure s = dd.structure();
                    assertThat(dd.spatialId()).isBetween(0, 3);
                    assertThat(dd.temporalId()).isBetween(0, 7);
                    for (int d = 0; d < s.decodeTargetCount(); d++) {
                        assertThat(dd.dti(d)).isBetween(0, 3);
                    }
                    for (int i = 0; i < dd.fdiffCount(); i++) {
                        assertThat(dd.fdiff(i)).isBetween(1, 4096);
                    }
                    for (int c = 0; c < s.chainCount(); c++) {
                        assertThat(dd.chainFdiff(c)).isBetween(0, 255);
                    }
                }
                if (dd.attachedStructure() != null) {
                    // What was parsed encodes back to a structure that parses equal.
                    ByteBuf again = Unpooled.buffer();
                    Av1DependencyDescriptor.Fields.of(true, true, dd.attachedStructure().templateIdOffset(), 1)
                            .withStructure(dd.attachedStructure()).writeTo(again, null);
                    assertThat(new Av1DependencyDescriptor().wrap(again, 0, again.readableBytes(), null)
                            .attachedStructure()).isEqualTo(dd.attachedStructure());
                }
            } catch (ProtocolException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void vp9DescriptorRejectsOrYieldsAUsableView(byte[] data) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        try {
            Vp9PayloadDescriptor vp9 = new Vp9PayloadDescriptor().wrap(buf, 0, data.length);
            assertThat(vp9.encodedLength()).isBetween(1, data.length);
            vp9.pictureId();
            vp9.tl0PicIdx();
            for (int i = 0; i < vp9.pDiffCount(); i++) {
                vp9.pDiff(i);
            }
            if (vp9.hasResolutions()) {
                for (int s = 0; s < vp9.spatialLayers(); s++) {
                    vp9.width(s);
                    vp9.height(s);
                }
            }
            for (int g = 0; g < Math.max(vp9.pictureGroupSize(), 0); g++) {
                vp9.pictureGroupTemporalId(g);
                for (int r = 0; r < vp9.pictureGroupReferenceCount(g); r++) {
                    vp9.pictureGroupReference(g, r);
                }
            }
        } catch (ProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** Deterministic mutations of the hand-built vectors so every build explores beyond the seeds. */
    @Test
    void mutatedVectorsNeverEscapeTheParsers() {
        SplittableRandom random = new SplittableRandom(2021);
        byte[][] av1 = {Av1DependencyDescriptorTest.L1T2_KEYFRAME, Av1DependencyDescriptorTest.L1T2_DELTA,
                Av1DependencyDescriptorTest.L1T2_CUSTOM};
        byte[][] vp9 = {PayloadDescriptorTest.VP9_KEYFRAME_WITH_SS, PayloadDescriptorTest.VP9_FLEXIBLE};
        for (int i = 0; i < 20_000; i++) {
            dependencyDescriptorRejectsOrYieldsAUsableView(mutate(av1[i % av1.length], random));
            vp9DescriptorRejectsOrYieldsAUsableView(mutate(vp9[i % vp9.length], random));
        }
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] input = seed.clone();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips; f++) {
            input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
        }
        if (random.nextInt(4) == 0) {
            input = Arrays.copyOf(input, random.nextInt(input.length + 8));
        }
        return input;
    }
}
