package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * A node's load as gossiped to the cluster, in the integer units it travels in.
 *
 * <pre>
 * cpu per mille (2) | memory per mille (2) | live sessions (4) | session capacity (4)
 * inbound kbit/s (4) | outbound kbit/s (4)
 * </pre>
 *
 * @param cpuPermille     CPU use of the node, 0..1000
 * @param memoryPermille  memory use of the node, 0..1000
 * @param sessions        live sessions
 * @param sessionCapacity sessions the node accepts at most (0: not a media node)
 * @param inboundKbps     received media bandwidth
 * @param outboundKbps    sent media bandwidth
 */
public record NodeLoad(int cpuPermille, int memoryPermille, long sessions, long sessionCapacity,
                       long inboundKbps, long outboundKbps) {

    public static final int ENCODED_LENGTH = 2 + 2 + 4 + 4 + 4 + 4;
    public static final NodeLoad IDLE = new NodeLoad(0, 0, 0, 0, 0, 0);

    private static final long U32 = 0xFFFF_FFFFL;

    public NodeLoad {
        requireRange("cpuPermille", cpuPermille, 1000);
        requireRange("memoryPermille", memoryPermille, 1000);
        requireRange("sessions", sessions, U32);
        requireRange("sessionCapacity", sessionCapacity, U32);
        requireRange("inboundKbps", inboundKbps, U32);
        requireRange("outboundKbps", outboundKbps, U32);
    }

    /** CPU use as a fraction, 0..1. */
    public double cpu() {
        return cpuPermille / 1000.0;
    }

    /** Memory use as a fraction, 0..1. */
    public double memory() {
        return memoryPermille / 1000.0;
    }

    public static NodeLoad parse(ByteBuf in) throws ProtocolException {
        Fields.need(in, ENCODED_LENGTH, "node load");
        int cpu = in.readUnsignedShort();
        int memory = in.readUnsignedShort();
        if (cpu > 1000 || memory > 1000) {
            throw new ProtocolException("node load: per mille above 1000 (cpu " + cpu + ", memory " + memory + ")");
        }
        return new NodeLoad(cpu, memory, in.readUnsignedInt(), in.readUnsignedInt(), in.readUnsignedInt(),
                in.readUnsignedInt());
    }

    public int encodedLength() {
        return ENCODED_LENGTH;
    }

    public void writeTo(ByteBuf out) {
        out.writeShort(cpuPermille);
        out.writeShort(memoryPermille);
        out.writeInt((int) sessions);
        out.writeInt((int) sessionCapacity);
        out.writeInt((int) inboundKbps);
        out.writeInt((int) outboundKbps);
    }

    private static void requireRange(String name, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0.." + max + ", got " + value);
        }
    }
}
