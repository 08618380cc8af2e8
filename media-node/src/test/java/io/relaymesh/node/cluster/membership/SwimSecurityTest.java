package io.relaymesh.node.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.relaymesh.node.cluster.wire.ClusterKey;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import io.relaymesh.node.cluster.wire.MessageType;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import io.relaymesh.node.cluster.wire.Ping;
import io.relaymesh.node.cluster.wire.Sync;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What one node does with forged, replayed, misdirected, stale and malformed datagrams: drop and count. */
class SwimSecurityTest {

    private static final Secret SECRET = Secret.of("security-test-secret-0123456789abcdefgh");
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final long NOW_MICROS = NOW.getEpochSecond() * 1_000_000L;
    private static final InetSocketAddress PEER = SimulatedNetwork.address(6);

    private final List<ByteBuf> sent = new ArrayList<>();
    private Swim swim;

    @BeforeEach
    void start() {
        NodeMetadata self = new NodeMetadata("z1", 0, Set.of(Role.MEDIA), SimulatedNetwork.address(1),
                Optional.empty(), Optional.empty(), NodeLoad.IDLE, "test");
        swim = new Swim(SwimConfig.DEFAULTS, ClusterKey.derive(SECRET), self, () -> 0L,
                Clock.fixed(NOW, ZoneOffset.UTC), new SplittableRandom(1), (delay, task) -> { },
                (datagram, to) -> sent.add(datagram), new UnpooledByteBufAllocator(false), SeedResolver.NONE);
        swim.start();
    }

    @AfterEach
    void release() {
        sent.forEach(ByteBuf::release);
    }

    private static byte[] ping(Secret secret, long sequence, String sender, String destination) {
        Ping p = new Ping(5, List.of());
        return Datagrams.message(secret, MessageType.PING, sequence, sender, destination, p::writeTo);
    }

    private void deliver(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            swim.receive(in, PEER);
        } finally {
            in.release();
        }
    }

    @Test
    void anAuthenticPingIsAnsweredOnceAndItsReplayIsDroppedAndCounted() {
        byte[] ping = ping(SECRET, NOW_MICROS, "z1-5", "z1-0");
        deliver(ping);
        assertThat(sent).as("an ack").hasSize(1);
        deliver(ping);
        assertThat(sent).as("no second ack").hasSize(1);
        assertThat(swim.counters().get(DropReason.REPLAYED)).isEqualTo(1);
    }

    @Test
    void everyKindOfBadDatagramIsDroppedWithItsReason() {
        deliver(ping(Secret.of("not-the-cluster-secret-0123456789abcdef"), NOW_MICROS, "z1-5", "z1-0"));
        deliver(ping(SECRET, NOW_MICROS + 1, "z1-5", "z1-9"));
        deliver(ping(SECRET, NOW_MICROS + 2, "z1-0", "z1-0"));
        deliver(ping(SECRET, NOW_MICROS - 31_000_000L, "z1-5", "z1-0"));
        deliver(ping(SECRET, NOW_MICROS + 61_000_000L, "z1-5", "z1-0"));
        deliver(new byte[] {0x52, 0x4d, 0x01});
        deliver(Datagrams.message(SECRET, MessageType.PING, NOW_MICROS + 3, "z1-5", "z1-0", b -> b.writeMedium(7)));
        deliver(Datagrams.message(SECRET, MessageType.APP, NOW_MICROS + 4, "z1-5", "z1-0",
                b -> b.writeShort(99).writeByte(1)));

        assertThat(sent).as("nothing answered").isEmpty();
        assertThat(swim.counters().snapshot()).containsEntry(DropReason.BAD_MAC, 1L)
                .containsEntry(DropReason.WRONG_DESTINATION, 1L)
                .containsEntry(DropReason.OWN_ID, 1L)
                .containsEntry(DropReason.STALE, 1L)
                .containsEntry(DropReason.FUTURE, 1L)
                .containsEntry(DropReason.MALFORMED, 1L)
                .containsEntry(DropReason.MALFORMED_BODY, 1L)
                .containsEntry(DropReason.UNKNOWN_CHANNEL, 1L);
        assertThat(swim.members()).hasSize(1);
    }

    @Test
    void aForgedSyncCannotPlantAMember() {
        NodeMetadata fake = new NodeMetadata("z1", 7, Set.of(Role.MEDIA), SimulatedNetwork.address(8),
                Optional.empty(), Optional.empty(), NodeLoad.IDLE, "x");
        Sync sync = new Sync(true, List.of(new MemberUpdate(MemberState.ALIVE, 1, fake)));
        deliver(Datagrams.message(Secret.of("not-the-cluster-secret-0123456789abcdef"), MessageType.SYNC, NOW_MICROS,
                "z1-7", "", sync::writeTo));
        assertThat(swim.members()).extracting(Member::id).containsExactly("z1-0");

        deliver(Datagrams.message(SECRET, MessageType.SYNC, NOW_MICROS, "z1-7", "", sync::writeTo));
        assertThat(swim.members()).extracting(Member::id).containsExactly("z1-0", "z1-7");
        assertThat(sent).as("the authentic sync is answered with this node's state").hasSize(1);
    }
}
