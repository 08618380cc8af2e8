package io.relaymesh.node.cluster;

import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.membership.MembershipListener;
import io.relaymesh.node.cluster.membership.SwimConfig;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A cluster member as a process of its own, for the multi-process membership test (not shipped: the real node
 * will start its {@link ClusterNode} from {@code boot/}). It prints one line per membership event and, every
 * 500 ms, its view and drop counters, each with the wall clock in milliseconds:
 * <pre>
 * READY &lt;millis&gt; relaymesh://id@ip:port
 * UP|DOWN|UPDATED &lt;millis&gt; &lt;member id&gt; &lt;state&gt;
 * VIEW &lt;millis&gt; &lt;up count&gt; &lt;up ids&gt;
 * COUNTERS &lt;millis&gt; {BAD_MAC=..., ...}
 * </pre>
 * Arguments: {@code zone index ip port secret [seed-host:port ...]}. SIGTERM leaves gracefully.
 */
public final class ClusterNodeMain {

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ClusterNodeMain zone index ip port secret [seed-host:port ...]");
            System.exit(2);
        }
        InetAddress ip = InetAddress.getByName(args[2]);
        List<InetSocketAddress> seeds = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            int colon = args[i].lastIndexOf(':');
            seeds.add(InetSocketAddress.createUnresolved(args[i].substring(0, colon),
                    Integer.parseInt(args[i].substring(colon + 1))));
        }
        ClusterSettings settings = new ClusterSettings(args[0], Integer.parseInt(args[1]), Set.of(Role.MEDIA),
                new InetSocketAddress(ip, Integer.parseInt(args[3])), Optional.empty(), seeds, Secret.of(args[4]),
                Optional.empty(), Optional.empty(), "it", SwimConfig.DEFAULTS);
        ClusterNode node = ClusterNode.start(settings);
        node.addListener(new MembershipListener() {
            @Override
            public void memberUp(Member m) {
                print("UP " + System.currentTimeMillis() + " " + m.id() + " " + m.state());
            }

            @Override
            public void memberDown(Member m) {
                print("DOWN " + System.currentTimeMillis() + " " + m.id() + " " + m.state());
            }

            @Override
            public void memberUpdated(Member m) {
                print("UPDATED " + System.currentTimeMillis() + " " + m.id() + " " + m.state());
            }
        });
        print("READY " + System.currentTimeMillis() + " " + node.address());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stop.countDown();
        }));
        while (stop.getCount() > 0) {
            List<String> up = node.members().stream().filter(Member::isUp).map(Member::id).toList();
            print("VIEW " + System.currentTimeMillis() + " " + up.size() + " " + String.join(",", up));
            print("COUNTERS " + System.currentTimeMillis() + " " + node.counters().snapshot());
            stop.await(500, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
