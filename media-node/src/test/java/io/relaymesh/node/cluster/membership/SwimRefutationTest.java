package io.relaymesh.node.cluster.membership;

import static io.relaymesh.node.cluster.membership.NodeParts.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.relaymesh.node.cluster.wire.ClusterKey;
import io.relaymesh.node.cluster.wire.Envelope;
import io.relaymesh.node.cluster.wire.Gossip;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import io.relaymesh.node.cluster.wire.MessageType;
import io.relaymesh.node.cluster.wire.Sync;
import io.relaymesh.node.protocol.ProtocolException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node that hears it is suspected refutes at once: a higher incarnation, gossiped and sent straight to members. */
class SwimRefutationTest {

    private static final long START = NodeParts.EPOCH.toEpochMilli();
    private static final long NOW_MICROS = START * 1000;

    private final List<ByteBuf> sent = new ArrayList<>();
    private long sequence = NOW_MICROS;
    private Swim swim;

    @BeforeEach
    void start() {
        swim = new Swim(SwimConfig.DEFAULTS, ClusterKey.derive(SimulatedNetwork.SECRET), NodeParts.metadata(0),
                () -> 0L, Clock.fixed(NodeParts.EPOCH, ZoneOffset.UTC), new SplittableRandom(3), (delay, task) -> { },
                (datagram, to) -> sent.add(datagram), new UnpooledByteBufAllocator(false), SeedResolver.NONE);
        swim.start();
    }

    @AfterEach
    void release() {
        sent.forEach(ByteBuf::release);
    }

    /** An authentic SYNC from z1-5 that asks for no reply. */
    private void syncFromPeer(MemberUpdate... updates) {
        Sync sync = new Sync(false, List.of(updates));
        ByteBuf in = Unpooled.wrappedBuffer(Datagrams.message(SimulatedNetwork.SECRET, MessageType.SYNC, sequence++,
                "z1-5", "z1-0", sync::writeTo));
        try {
            swim.receive(in, NodeParts.metadata(5).clusterAddress());
        } finally {
            in.release();
        }
    }

    /** The destination and updates of every GOSSIP sent. */
    private List<String> gossipSent() throws ProtocolException {
        List<String> out = new ArrayList<>();
        for (ByteBuf d : sent) {
            Envelope env = Envelope.parse(d.duplicate());
            if (env.type() == MessageType.GOSSIP) {
                out.add(env.destination() + " " + Gossip.parse(env.body()).updates());
            }
        }
        return out;
    }

    @Test
    void aSuspicionAtTheCurrentIncarnationIsRefutedAboveItToEveryUpMember() throws ProtocolException {
        syncFromPeer(update(MemberState.ALIVE, 5, 1), update(MemberState.ALIVE, 6, 1),
                update(MemberState.DEAD, 7, 1), update(MemberState.SUSPECT, 0, START));

        MemberUpdate refutation = update(MemberState.ALIVE, 0, START + 1);
        assertThat(swim.incarnation()).isEqualTo(START + 1);
        assertThat(gossipSent()).containsExactlyInAnyOrder("z1-5 " + List.of(refutation), "z1-6 " + List.of(refutation));
        assertThat(swim.members().getFirst()).satisfies(self -> {
            assertThat(self.local()).isTrue();
            assertThat(self.incarnation()).isEqualTo(START + 1);
        });
    }

    @Test
    void aSuspicionOfAnEarlierIncarnationIsAlreadyRefutedAndNeedsNoAnswer() throws ProtocolException {
        syncFromPeer(update(MemberState.ALIVE, 5, 1), update(MemberState.SUSPECT, 0, START - 1));

        assertThat(swim.incarnation()).isEqualTo(START);
        assertThat(gossipSent()).isEmpty();
    }

    @Test
    void aRestartedNodeThatHearsOfItsEarlierLifeAheadJumpsAboveIt() throws ProtocolException {
        syncFromPeer(update(MemberState.ALIVE, 5, 1), update(MemberState.ALIVE, 0, START + 500));

        assertThat(swim.incarnation()).isEqualTo(START + 501);
        assertThat(gossipSent()).containsExactly("z1-5 " + List.of(update(MemberState.ALIVE, 0, START + 501)));
    }
}
