package io.relaymesh.node.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A network namespace joined to the root namespace by a veth pair with a private /30, whose root-side end can be
 * shaped with a token bucket ({@code tc tbf}): what a viewer behind a slow link sees of a node running on this
 * machine. The limit acts on the root-side egress, i.e. on everything the node sends to the namespace.
 *
 * <p>tbf rather than netem: the kernel of the project's machines has no {@code sch_netem}. The namespace is named
 * {@code <prefix><pid>} so {@link NetNs#deleteStale(String)} can remove it after a killed run.
 */
final class ShapedLink implements AutoCloseable {

    private final String namespace;
    private final String hostDevice;
    private final String namespaceDevice;
    private final String hostAddress;
    private final String namespaceAddress;
    private volatile long limitBitsPerSecond;

    private ShapedLink(String namespace, String hostDevice, String namespaceDevice, String hostAddress,
                       String namespaceAddress) {
        this.namespace = namespace;
        this.hostDevice = hostDevice;
        this.namespaceDevice = namespaceDevice;
        this.hostAddress = hostAddress;
        this.namespaceAddress = namespaceAddress;
    }

    /**
     * Creates namespace {@code <prefix><pid>} and its veth pair on 10.214.X.0/30, X chosen from the pid so that
     * concurrent runs of different JVMs do not collide. Stale namespaces of {@code prefix} are removed first.
     */
    static ShapedLink create(String prefix) throws IOException, InterruptedException {
        NetNs.deleteStale(prefix);
        long pid = ProcessHandle.current().pid();
        String ns = prefix + pid;
        String subnet = "10.214." + (pid % 250) + ".";
        // Interface names are limited to 15 characters.
        String hostDevice = "rv" + (pid % 10_000_000) + "h";
        String nsDevice = "rv" + (pid % 10_000_000) + "n";
        ShapedLink link = new ShapedLink(ns, hostDevice, nsDevice, subnet + "1", subnet + "2");
        NetNs.run("ip", "netns", "add", ns);
        try {
            NetNs.run("ip", "link", "add", hostDevice, "type", "veth", "peer", "name", nsDevice);
            NetNs.run("ip", "link", "set", nsDevice, "netns", ns);
            NetNs.run("ip", "addr", "add", link.hostAddress + "/30", "dev", hostDevice);
            NetNs.run("ip", "link", "set", hostDevice, "up");
            NetNs.run("ip", "-n", ns, "addr", "add", link.namespaceAddress + "/30", "dev", nsDevice);
            NetNs.run("ip", "-n", ns, "link", "set", nsDevice, "up");
            NetNs.run("ip", "-n", ns, "link", "set", "lo", "up");
            NetNs.run("ip", "-n", ns, "route", "add", "default", "via", link.hostAddress);
        } catch (IOException | InterruptedException | AssertionError e) {
            link.close();
            throw e;
        }
        return link;
    }

    /**
     * Bucket depth of the limit: one full-size packet. A deeper bucket lets a short burst through at veth speed,
     * which is not what a slow access link does: with 10 kB the node's bandwidth probes (a few kB sent at twice the
     * estimate) arrived at line rate and read as spare capacity, and the estimate climbed to 3-4 times the limit.
     */
    static final int BURST_BYTES = 1600;

    /**
     * Limits what reaches the namespace to {@code kbit} kbit/s: a token bucket one packet deep ({@link #BURST_BYTES})
     * and a queue of at most 300 ms, roughly what a congested access link does (serialise, queue, then drop).
     */
    void limit(int kbit) throws IOException, InterruptedException {
        String verb = limitBitsPerSecond > 0 ? "change" : "add";
        NetNs.run("tc", "qdisc", verb, "dev", hostDevice, "root", "tbf", "rate", kbit + "kbit",
                "burst", String.valueOf(BURST_BYTES), "latency", "300ms");
        limitBitsPerSecond = kbit * 1000L;
    }

    /** Removes the limit: the link runs at veth speed again. */
    void lift() throws IOException, InterruptedException {
        if (limitBitsPerSecond > 0) {
            NetNs.run("tc", "qdisc", "del", "dev", hostDevice, "root");
            limitBitsPerSecond = 0;
        }
    }

    /** The current limit in bit/s, 0 when unlimited. */
    long limitBitsPerSecond() {
        return limitBitsPerSecond;
    }

    /** Packets that arrived on the namespace's end of the link so far. */
    long packetsReceivedInNamespace() throws IOException, InterruptedException {
        return Long.parseLong(NetNs.run("ip", "netns", "exec", namespace, "cat",
                "/sys/class/net/" + namespaceDevice + "/statistics/rx_packets").trim());
    }

    /** Packets the root-side qdisc dropped so far (proof that the limit bit), 0 without a limit. */
    long droppedPackets() throws IOException, InterruptedException {
        var m = java.util.regex.Pattern.compile("dropped (\\d+)")
                .matcher(NetNs.run("tc", "-s", "qdisc", "show", "dev", hostDevice));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * A script that runs {@code executable} inside the namespace, for Playwright's {@code executablePath}: Playwright
     * drives the browser over inherited pipes ({@code --remote-debugging-pipe}), which {@code ip netns exec} keeps.
     */
    Path wrap(Path executable, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path script = directory.resolve("in-" + namespace + "-" + executable.getFileName());
        Files.writeString(script, "#!/bin/sh\nexec ip netns exec " + namespace + " " + executable + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** The root-side address: the one the node advertises so the namespace can reach it. */
    String hostAddress() {
        return hostAddress;
    }

    String namespaceAddress() {
        return namespaceAddress;
    }

    String namespace() {
        return namespace;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        NetNs.delete(namespace); // takes the veth pair with it
    }
}
