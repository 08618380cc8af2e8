package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.rtp.codec.Av1DependencyDescriptor;
import io.relaymesh.node.rtp.codec.Av1FixtureStreams;
import io.relaymesh.node.sfu.MediaKind;
import io.relaymesh.node.sfu.PacketSource;
import io.relaymesh.node.sfu.SimulcastSource;
import io.relaymesh.node.sfu.SinkViewer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every layer of a simulcast track crosses a relay link as a stream of its own and becomes a layer on the far node,
 * where local viewers select among them as among a local publisher's; each node tells its parent which layers it
 * needs (its viewers' and its children's, merged) and the parent sends only those, plus the lowest. Real nodes on
 * loopback; the publisher is {@link SimulcastSource} (three VP8 layers, 320, 640 and 1280 wide, about 90, 210 and
 * 450 kbit/s), which answers keyframe requests per layer as a browser answers a PLI.
 */
class RelayLayersTest {

    private static final String ROOM = "stage";
    private static final int VIEWER_PT = 100;
    private static final long LOW_BPS = 130_000;
    private static final long HIGH_BPS = 20_000_000;
    private static final Duration WAIT = Duration.ofSeconds(25);

    private final List<AutoCloseable> closing = new ArrayList<>();

    private <T extends AutoCloseable> T closeLater(T resource) {
        closing.add(resource);
        return resource;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    /** A VP8 viewer on {@code node} once the relayed track is published there; it releases what it receives. */
    private SinkViewer viewer(LoopbackMediaNode node, int ssrc) {
        return viewer(node, "VP8", ssrc, Map.of(), ByteBuf::release);
    }

    private SinkViewer viewer(LoopbackMediaNode node, String codec, int ssrc, Map<String, Integer> extensions,
                              Consumer<ByteBuf> packets) {
        AtomicReference<SinkViewer> viewer = new AtomicReference<>();
        await("a video track is published on " + node.id()).atMost(WAIT).ignoreExceptions().until(() -> {
            viewer.set(SinkViewer.attach(node.sfu, ROOM, MediaKind.VIDEO, codec, VIEWER_PT, ssrc, extensions, packets)
                    .join());
            return true;
        });
        closing.add(() -> viewer.get().close().join());
        return viewer.get();
    }

    private static void awaitWidth(SinkViewer viewer, int width, String what) {
        await(what).atMost(WAIT).until(() -> viewer.width().join() == width);
    }

    private static RelayNode.LayersOut out(LoopbackMediaNode node) {
        return node.relay.layersOut().join();
    }

    @Test
    void threeLayersCrossTheLinkAndALowEstimatePlaysTheLowestWhileAHighOnePlaysTheTop() throws Exception {
        LoopbackMediaNode a = closeLater(new LoopbackMediaNode(0));
        LoopbackMediaNode b = closeLater(new LoopbackMediaNode(1, a.cluster.clusterAddress()));
        LoopbackMediaNode.joined(a, b);
        closeLater(SimulcastSource.start(a.sfu, ROOM));
        closeLater(b.relay.watch(ROOM));

        SinkViewer low = viewer(b, 0x100);
        SinkViewer high = viewer(b, 0x200);
        low.selectLayersFor(LOW_BPS).join();
        high.selectLayersFor(HIGH_BPS).join();

        await("the relayed track has three layers on b").atMost(WAIT).until(() -> high.layers().join() == 3);
        awaitWidth(high, 1280, "the well-connected viewer on b plays the top layer");
        awaitWidth(low, 320, "the poorly connected viewer on b plays the lowest layer");
        assertThat(high.spatial().join()).isEqualTo(2);
        assertThat(low.spatial().join()).isZero();
        RelayNode.LayersOut sent = out(a);
        assertThat(sent.packets()).as("each layer crossed as its own stream").doesNotContain(0L);
    }

    @Test
    void theParentStopsALayerNobodyNeedsAndResumesItWithAKeyframeRequestWhenDemanded() throws Exception {
        LoopbackMediaNode a = closeLater(new LoopbackMediaNode(0));
        LoopbackMediaNode b = closeLater(new LoopbackMediaNode(1, a.cluster.clusterAddress()));
        LoopbackMediaNode.joined(a, b);
        SimulcastSource source = closeLater(SimulcastSource.start(a.sfu, ROOM));
        closeLater(b.relay.watch(ROOM));
        SinkViewer viewer = viewer(b, 0x100);
        viewer.selectLayersFor(LOW_BPS).join();

        awaitWidth(viewer, 320, "the viewer settles on the lowest layer");
        // It plays layer 0 and may climb to layer 1 (which flows so it can be measured); nobody needs layer 2.
        await("a stops sending the top layer").atMost(WAIT).until(() -> !out(a).flowing()[2]);
        long topBefore = out(a).packets()[2];
        long lowestBefore = out(a).packets()[0];
        long keyframesOfTopBefore = source.keyframeRequests()[2];
        await("the top layer stays stopped while the lowest keeps flowing").atMost(WAIT)
                .during(Duration.ofSeconds(1)).until(() -> out(a).packets()[2] == topBefore);
        assertThat(out(a).packets()[0]).as("the lowest layer always flows").isGreaterThan(lowestBefore + 20);
        assertThat(out(a).flowing()[0]).isTrue();

        viewer.selectLayersFor(HIGH_BPS).join();
        awaitWidth(viewer, 1280, "the viewer climbs to the top layer once its estimate allows");
        assertThat(out(a).flowing()[2]).isTrue();
        assertThat(out(a).packets()[2]).as("the top layer flows again").isGreaterThan(topBefore);
        assertThat(source.keyframeRequests()[2]).as("the publisher was asked for a keyframe of the top layer")
                .isGreaterThan(keyframesOfTopBefore);
    }

    @Test
    void aZoneEntryAsksForWhatItsOwnViewersAndItsChildrenNeedAndSendsEachChildOnlyItsDemand() throws Exception {
        LoopbackMediaNode p = closeLater(new LoopbackMediaNode("west", 0));
        LoopbackMediaNode b = closeLater(new LoopbackMediaNode("east", 1, p.cluster.clusterAddress()));
        LoopbackMediaNode c = closeLater(new LoopbackMediaNode("east", 2, p.cluster.clusterAddress()));
        LoopbackMediaNode.joined(p, b, c);
        closeLater(SimulcastSource.start(p.sfu, ROOM));
        closeLater(b.relay.watch(ROOM));
        closeLater(c.relay.watch(ROOM));
        AtomicReference<LoopbackMediaNode> entry = new AtomicReference<>();
        AtomicReference<LoopbackMediaNode> leaf = new AtomicReference<>();
        await("one east node relays the track to the other").atMost(WAIT).until(() -> {
            for (LoopbackMediaNode[] pair : new LoopbackMediaNode[][] {{b, c}, {c, b}}) {
                RelayRoute route = pair[1].route();
                if (route != null && pair[0].id().equals(route.parent())) {
                    entry.set(pair[0]);
                    leaf.set(pair[1]);
                    return true;
                }
            }
            return false;
        });

        SinkViewer atLeaf = viewer(leaf.get(), 0x100);
        atLeaf.selectLayersFor(HIGH_BPS).join();
        awaitWidth(atLeaf, 1280, "the leaf's viewer plays the top layer through the entry");
        assertThat(out(p).flowing()[2]).as("the entry passes its child's demand on").isTrue();

        atLeaf.selectLayersFor(LOW_BPS).join();
        awaitWidth(atLeaf, 320, "the leaf's viewer falls back to the lowest layer");
        await("with no viewer needing it, the publisher's node stops the top layer towards the entry").atMost(WAIT)
                .until(() -> !out(p).flowing()[2] && !out(entry.get()).flowing()[2]);

        SinkViewer atEntry = viewer(entry.get(), 0x200);
        atEntry.selectLayersFor(HIGH_BPS).join();
        awaitWidth(atEntry, 1280, "the entry's own viewer gets the top layer");
        assertThat(out(p).flowing()[2]).as("the entry's own viewer's need goes upstream").isTrue();
        long toLeaf = out(entry.get()).packets()[2];
        await("the leaf, which does not need it, still does not get the top layer").atMost(WAIT)
                .during(Duration.ofSeconds(1)).until(() -> out(entry.get()).packets()[2] == toLeaf);
        assertThat(atLeaf.width().join()).isEqualTo(320);
    }

    @Test
    void theAv1DependencyDescriptorCrossesTheLinkSoTheFarNodeCanSelectLayers() throws Exception {
        LoopbackMediaNode a = closeLater(new LoopbackMediaNode(0));
        LoopbackMediaNode b = closeLater(new LoopbackMediaNode(1, a.cluster.clusterAddress()));
        LoopbackMediaNode.joined(a, b);
        int publisherPt = 45;
        int viewerId = 5;
        PacketSource source = closeLater(PacketSource.open(a.sfu, ROOM, "AV1", publisherPt,
                Map.of(Av1DependencyDescriptor.URI, Av1FixtureStreams.EXTENSION_ID)));
        closeLater(b.relay.watch(ROOM));
        Set<String> sentDescriptors = ConcurrentHashMap.newKeySet();
        Av1FixtureStreams.Generator stream = new Av1FixtureStreams.Generator(5);
        AtomicLong units = new AtomicLong();
        Runnable sendSomeUnits = () -> {
            for (int i = 0; i < 10; i++) {
                for (Av1FixtureStreams.Frame frame : stream.nextUnit(units.getAndIncrement() % 10 == 0)) {
                    for (RtpPacket packet : frame.packets()) {
                        sentDescriptors.add(ByteBufUtil.hexDump(extension(packet.buffer(), Av1FixtureStreams.EXTENSION_ID)));
                        ByteBuf copy = io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(packet.length());
                        copy.writeBytes(packet.buffer(), packet.offset(), packet.length());
                        copy.setByte(1, (copy.getByte(1) & 0x80) | publisherPt);
                        copy.setInt(8, 0xA1A1);
                        source.send(copy);
                    }
                }
            }
        };
        sendSomeUnits.run(); // the track exists on a once a packet arrived
        List<String> received = new CopyOnWriteArrayList<>();
        List<Integer> otherIds = new CopyOnWriteArrayList<>();
        SinkViewer viewer = viewer(b, "AV1", 0x300, Map.of(Av1DependencyDescriptor.URI, viewerId), packet -> {
            try {
                ByteBuf dd = extension(packet, viewerId);
                if (dd != null) {
                    received.add(ByteBufUtil.hexDump(dd));
                }
                otherIds.addAll(ids(packet));
            } finally {
                packet.release();
            }
        });
        await("the viewer on b receives descriptors").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            sendSomeUnits.run();
            return received.size() >= 30;
        });
        assertThat(received).as("each descriptor arrives as it was sent, under the viewer's id")
                .allSatisfy(dd -> assertThat(sentDescriptors).contains(dd));
        assertThat(otherIds).as("no other extension id reaches the viewer").containsOnly(viewerId);
        assertThat(viewer.scalableSpatialLayers().join()).as("b reads the three spatial layers from the descriptors")
                .isEqualTo(3);
    }

    /** The two-byte header extension element {@code id} of the RTP packet at the reader index, or null. */
    private static ByteBuf extension(ByteBuf packet, int id) {
        for (int[] e : elements(packet)) {
            if (e[0] == id) {
                return packet.slice(e[1], e[2]);
            }
        }
        return null;
    }

    /** Ids of the two-byte header extension elements of the packet. */
    private static List<Integer> ids(ByteBuf packet) {
        List<Integer> ids = new ArrayList<>();
        for (int[] e : elements(packet)) {
            ids.add(e[0]);
        }
        return ids;
    }

    /** The two-byte header extension elements (RFC 8285) of the packet: {id, data offset, data length} each. */
    private static List<int[]> elements(ByteBuf packet) {
        List<int[]> elements = new ArrayList<>();
        int at = packet.readerIndex();
        if ((packet.getByte(at) & 0x10) == 0 || packet.getUnsignedShort(at + 12) != 0x1000) {
            return elements;
        }
        int end = at + 16 + 4 * packet.getUnsignedShort(at + 14);
        for (int i = at + 16; i + 1 < end; ) {
            int elementId = packet.getUnsignedByte(i);
            if (elementId == 0) {
                i++;
                continue;
            }
            int length = packet.getUnsignedByte(i + 1);
            elements.add(new int[] {elementId, i + 2, length});
            i += 2 + length;
        }
        return elements;
    }
}
