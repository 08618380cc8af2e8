package io.relaymesh.node;

import io.relaymesh.node.boot.NodeLauncher;
import io.relaymesh.node.cli.RelaymeshCommand;

/** The {@code relaymesh} program: parses the command line and starts the chosen role. */
public final class Main {

    private Main() {
    }

    /**
     * Netty settings the packet path relies on, applied before any Netty class loads unless the command line
     * set them. Netty 4.2 leaves {@code sun.misc.Unsafe} off on JDK 25+, and without it every bulk copy out of
     * a direct buffer allocates a ByteBuffer duplicate (64 bytes per packet per viewer, measured); with it the
     * forwarding step allocates nothing. Leak detection samples with a per-buffer record, so production runs it
     * off; the test suite runs it at paranoid.
     */
    static void packetPathDefaults() {
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "false");
        }
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }

    public static void main(String[] args) {
        packetPathDefaults();
        int code = RelaymeshCommand.commandLine(new NodeLauncher()).execute(args);
        System.exit(code);
    }
}
