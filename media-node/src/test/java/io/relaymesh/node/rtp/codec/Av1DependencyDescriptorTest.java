package io.relaymesh.node.rtp.codec;

import static io.relaymesh.node.rtp.codec.Av1DependencyStructure.DTI_DISCARDABLE;
import static io.relaymesh.node.rtp.codec.Av1DependencyStructure.DTI_NOT_PRESENT;
import static io.relaymesh.node.rtp.codec.Av1DependencyStructure.DTI_SWITCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The dependency descriptor on vectors built by hand from the bit layout of the AV1 RTP spec, appendix A.4.1. */
class Av1DependencyDescriptorTest {

    /**
     * A keyframe packet of an L1T2 stream carrying its structure: two decode targets (T0, T0+T1), two templates,
     * one chain, a 640x360 resolution.
     */
    static final byte[] L1T2_KEYFRAME = CodecPackets.bits("""
            1                   start_of_frame
            1                   end_of_frame
            000000              frame_dependency_template_id 0
            0001001000110100    frame_number 0x1234
            1                   template_dependency_structure_present_flag
            0                   active_decode_targets_present_flag
            0                   custom_dtis_flag
            0                   custom_fdiffs_flag
            0                   custom_chains_flag
            000000              template_id_offset 0
            00001               dtis_cnt_minus_one 1: two decode targets
            01                  next_layer_idc after template 0 (S0T0): temporal + 1
            11                  next_layer_idc after template 1 (S0T1): no more templates
            10                  template 0 DTI for DT0: switch
            10                  template 0 DTI for DT1: switch
            00                  template 1 DTI for DT0: not present
            01                  template 1 DTI for DT1: discardable
            1                   template 0 fdiff_follows_flag
            0001                fdiff_minus_one 1: references frame_number - 2
            0                   template 0 no more fdiffs
            1                   template 1 fdiff_follows_flag
            0000                fdiff_minus_one 0: references frame_number - 1
            0                   template 1 no more fdiffs
            10                  chains_cnt ns(3) = 1: v = f(1) = 1 >= m = 1, extra bit 0 -> (1 << 1) - 1 + 0
                                decode_target_protected_by ns(1) takes no bits for both decode targets
            0010                template 0 chain fdiff 2
            0001                template 1 chain fdiff 1
            1                   resolutions_present_flag
            0000001001111111    max_render_width_minus_1 639
            0000000101100111    max_render_height_minus_1 359
            """);

    /** A later T1 frame of that stream: mandatory fields only, everything else from template 1. */
    static final byte[] L1T2_DELTA = CodecPackets.bits("""
            1                   start_of_frame
            0                   end_of_frame
            000001              frame_dependency_template_id 1
            0001001000110101    frame_number 0x1235
            """);

    /** The same frame with every custom field and an active decode targets bitmask. */
    static final byte[] L1T2_CUSTOM = CodecPackets.bits("""
            0                   start_of_frame
            1                   end_of_frame
            000001              frame_dependency_template_id 1
            0001001000110101    frame_number 0x1235
            0                   template_dependency_structure_present_flag
            1                   active_decode_targets_present_flag
            1                   custom_dtis_flag
            1                   custom_fdiffs_flag
            1                   custom_chains_flag
            01                  active_decode_targets_bitmask: DT0 only
            11                  frame_dti DT0: required
            00                  frame_dti DT1: not present
            01                  next_fdiff_size 1 (4 bits)
            0010                fdiff_minus_one 2: fdiff 3
            11                  next_fdiff_size 3 (12 bits)
            111111111111        fdiff_minus_one 4095: fdiff 4096
            00                  next_fdiff_size 0: end
            00000101            frame_chain_fdiff chain 0: 5
            """);

    static Av1DependencyStructure l1t2() throws ProtocolException {
        return new Av1DependencyDescriptor().wrap(Unpooled.wrappedBuffer(L1T2_KEYFRAME), 0, L1T2_KEYFRAME.length, null)
                .attachedStructure();
    }

    @Test
    void keyframeDescriptorDecodesFieldByField() throws ProtocolException {
        Av1DependencyDescriptor dd = new Av1DependencyDescriptor()
                .wrap(Unpooled.wrappedBuffer(L1T2_KEYFRAME), 0, L1T2_KEYFRAME.length, null);
        assertThat(dd.startOfFrame()).isTrue();
        assertThat(dd.endOfFrame()).isTrue();
        assertThat(dd.templateId()).isZero();
        assertThat(dd.frameNumber()).isEqualTo(0x1234);
        assertThat(dd.extended()).isTrue();
        assertThat(dd.resolved()).isTrue();
        Av1DependencyStructure s = dd.attachedStructure();
        assertThat(s).isNotNull().isSameAs(dd.structure());
        assertThat(s.templateIdOffset()).isZero();
        assertThat(s.decodeTargetCount()).isEqualTo(2);
        assertThat(s.templates()).containsExactly(
                new Av1DependencyStructure.Template(0, 0, List.of(DTI_SWITCH, DTI_SWITCH), List.of(2), List.of(2)),
                new Av1DependencyStructure.Template(0, 1, List.of(DTI_NOT_PRESENT, DTI_DISCARDABLE), List.of(1),
                        List.of(1)));
        assertThat(s.chainCount()).isEqualTo(1);
        assertThat(s.protectedBy(0)).isZero();
        assertThat(s.protectedBy(1)).isZero();
        assertThat(s.hasResolutions()).isTrue();
        assertThat(s.width(0)).isEqualTo(640);
        assertThat(s.height(0)).isEqualTo(360);
        assertThat(s.decodeTargetSpatialId(1)).isZero();
        assertThat(s.decodeTargetTemporalId(0)).isZero();
        assertThat(s.decodeTargetTemporalId(1)).isEqualTo(1);
        assertThat(dd.activeDecodeTargets()).isEqualTo(0b11);
        assertThat(dd.spatialId()).isZero();
        assertThat(dd.temporalId()).isZero();
        assertThat(dd.dti(0)).isEqualTo(DTI_SWITCH);
        assertThat(dd.fdiffCount()).isEqualTo(1);
        assertThat(dd.fdiff(0)).isEqualTo(2);
        assertThat(dd.chainFdiff(0)).isEqualTo(2);
    }

    @Test
    void mandatoryOnlyDescriptorTakesEverythingFromTheKnownTemplate() throws ProtocolException {
        Av1DependencyDescriptor dd = new Av1DependencyDescriptor()
                .wrap(Unpooled.wrappedBuffer(L1T2_DELTA), 0, L1T2_DELTA.length, l1t2());
        assertThat(dd.extended()).isFalse();
        assertThat(dd.attachedStructure()).isNull();
        assertThat(dd.frameNumber()).isEqualTo(0x1235);
        assertThat(dd.templateIndex()).isEqualTo(1);
        assertThat(dd.temporalId()).isEqualTo(1);
        assertThat(dd.dti(0)).isEqualTo(DTI_NOT_PRESENT);
        assertThat(dd.dti(1)).isEqualTo(DTI_DISCARDABLE);
        assertThat(dd.fdiff(0)).isEqualTo(1);
        assertThat(dd.chainFdiff(0)).isEqualTo(1);
    }

    @Test
    void customFieldsReplaceTheTemplates() throws ProtocolException {
        Av1DependencyDescriptor dd = new Av1DependencyDescriptor()
                .wrap(Unpooled.wrappedBuffer(L1T2_CUSTOM), 0, L1T2_CUSTOM.length, l1t2());
        assertThat(dd.customDtis()).isTrue();
        assertThat(dd.customFdiffs()).isTrue();
        assertThat(dd.customChains()).isTrue();
        assertThat(dd.activeDecodeTargetsPresent()).isTrue();
        assertThat(dd.activeDecodeTargets()).isEqualTo(0b01);
        assertThat(dd.dti(0)).isEqualTo(Av1DependencyStructure.DTI_REQUIRED);
        assertThat(dd.dti(1)).isEqualTo(DTI_NOT_PRESENT);
        assertThat(dd.fdiffCount()).isEqualTo(2);
        assertThat(dd.fdiff(0)).isEqualTo(3);
        assertThat(dd.fdiff(1)).isEqualTo(4096);
        assertThat(dd.chainFdiff(0)).isEqualTo(5);
    }

    @Test
    void withoutAStructureOrWithAForeignTemplateOnlyTheMandatoryFieldsAreKnown() throws ProtocolException {
        Av1DependencyDescriptor dd = new Av1DependencyDescriptor()
                .wrap(Unpooled.wrappedBuffer(L1T2_DELTA), 0, L1T2_DELTA.length, null);
        assertThat(dd.resolved()).isFalse();
        assertThat(dd.frameNumber()).isEqualTo(0x1235);
        assertThatThrownBy(dd::spatialId).isInstanceOf(IllegalStateException.class);
        byte[] template5 = L1T2_DELTA.clone();
        template5[0] = (byte) 0x85; // S=1 E=0 template id 5: outside the two-template structure at offset 0
        assertThat(dd.wrap(Unpooled.wrappedBuffer(template5), 0, 3, l1t2()).resolved()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void everyTruncationIsRejectedWithAReason(byte[] vector, boolean needsStructure) throws ProtocolException {
        Av1DependencyStructure known = needsStructure ? l1t2() : null;
        for (int length = 0; length < vector.length; length++) {
            ByteBuf buf = Unpooled.wrappedBuffer(vector, 0, length);
            int cut = length;
            if (length > 3 || length < 3) {
                assertThatThrownBy(() -> new Av1DependencyDescriptor().wrap(buf, 0, cut, known))
                        .as("cut at %d", length).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("truncated");
            } else {
                // Three bytes are a complete mandatory-only descriptor.
                assertThat(new Av1DependencyDescriptor().wrap(buf, 0, cut, known).extended()).isFalse();
            }
        }
    }

    static Stream<Arguments> vectors() {
        return Stream.of(Arguments.of(L1T2_KEYFRAME, false), Arguments.of(L1T2_CUSTOM, true));
    }

    @Test
    void rangeOutsideTheBufferIsRejected() {
        ByteBuf buf = Unpooled.wrappedBuffer(L1T2_DELTA);
        assertThatThrownBy(() -> new Av1DependencyDescriptor().wrap(buf, 2, 3, null))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("outside the buffer");
    }

    @Test
    void structureBeyondTheSyntaxLimitsIsRejected() {
        // 65 templates all in S0T0: next_layer_idc 0 sixty-four times.
        StringBuilder layers = new StringBuilder();
        layers.append("""
                1 S
                1 E
                000000 template id
                0000000000000001 frame number
                10000 structure present
                000000 offset
                00000 one decode target
                """);
        for (int i = 0; i < 65; i++) {
            layers.append("00 same layer\n");
        }
        byte[] tooMany = CodecPackets.bits(layers.toString());
        assertThatThrownBy(() -> new Av1DependencyDescriptor().wrap(Unpooled.wrappedBuffer(tooMany), 0,
                tooMany.length, null)).isInstanceOf(ProtocolException.class).hasMessageContaining("64 templates");
        byte[] tooDeep = CodecPackets.bits("""
                1 S
                1 E
                000000 template id
                0000000000000001 frame number
                10000 structure present
                000000 offset
                00000 one decode target
                10 S1
                10 S2
                10 S3
                10 S4: beyond MAX_SPATIAL_ID
                11
                """);
        assertThatThrownBy(() -> new Av1DependencyDescriptor().wrap(Unpooled.wrappedBuffer(tooDeep), 0,
                tooDeep.length, null)).isInstanceOf(ProtocolException.class).hasMessageContaining("beyond S3T7");
    }

    @Test
    void encodingReproducesTheHandBuiltVectors() throws ProtocolException {
        Av1DependencyStructure s = l1t2();
        assertThat(write(Av1DependencyDescriptor.Fields.of(true, true, 0, 0x1234).withStructure(s), null))
                .isEqualTo(L1T2_KEYFRAME);
        assertThat(write(Av1DependencyDescriptor.Fields.of(true, false, 1, 0x1235), s)).isEqualTo(L1T2_DELTA);
        assertThat(write(Av1DependencyDescriptor.Fields.of(false, true, 1, 0x1235).withActiveDecodeTargets(0b01)
                .withCustom(List.of(3, 0), List.of(3, 4096), List.of(5)), s)).isEqualTo(L1T2_CUSTOM);
    }

    @Test
    void roundTripAtANonZeroOffset() throws ProtocolException {
        Av1DependencyStructure s = Av1FixtureStreams.l3t3Structure(7);
        Av1DependencyDescriptor.Fields fields = Av1DependencyDescriptor.Fields.of(true, false, 7 + 5, 65535)
                .withStructure(s).withActiveDecodeTargets(0b000111111);
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE});
        fields.writeTo(buf, null);
        int length = buf.readableBytes() - 3;
        assertThat(length).isEqualTo(fields.encodedLength(null));
        Av1DependencyDescriptor dd = new Av1DependencyDescriptor().wrap(buf, 3, length, null);
        assertThat(dd.attachedStructure()).isEqualTo(s);
        assertThat(dd.frameNumber()).isEqualTo(65535);
        assertThat(dd.templateIndex()).isEqualTo(5);
        assertThat(dd.spatialId()).isEqualTo(1);
        assertThat(dd.activeDecodeTargets()).isEqualTo(0b000111111);
        assertThat(s.chooseDecodeTarget(1, 1, dd.activeDecodeTargets())).isEqualTo(4);
        assertThat(s.chooseDecodeTarget(9, 9, dd.activeDecodeTargets())).as("S2 inactive").isEqualTo(5);
    }

    private static byte[] write(Av1DependencyDescriptor.Fields fields, Av1DependencyStructure known) {
        ByteBuf buf = Unpooled.buffer();
        fields.writeTo(buf, known);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }
}
