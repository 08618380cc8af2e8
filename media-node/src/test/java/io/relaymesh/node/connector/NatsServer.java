package io.relaymesh.node.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code nats-server} (Debian package) on a free loopback port, with JetStream storing into a
 * directory of the test's when asked. Stop and start it again on the same port and store to simulate an
 * outage.
 */
public final class NatsServer implements AutoCloseable {

    private final int port;
    private final Path storeDir;
    private final boolean jetStream;
    private final Path log;
    private Process process;

    private NatsServer(int port, Path storeDir, boolean jetStream, Path log) {
        this.port = port;
        this.storeDir = storeDir;
        this.jetStream = jetStream;
        this.log = log;
    }

    /** Starts a server; {@code storeDir} is its JetStream store, or null for a server without JetStream. */
    public static NatsServer start(Path storeDir, Path log) throws IOException {
        String binary = binary();
        assertThat(binary).as("nats-server is not installed: apt-get install nats-server (scripts/test.sh does)")
                .isNotNull();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        NatsServer server = new NatsServer(port, storeDir, storeDir != null, log);
        server.start();
        return server;
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(":")) {
            Path p = Path.of(dir, "nats-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        Path sbin = Path.of("/usr/sbin/nats-server");
        return Files.isExecutable(sbin) ? sbin.toString() : null;
    }

    /** (Re)starts the server on its port and store, and waits until it accepts connections. */
    public void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary(), "-a", "127.0.0.1", "-p", Integer.toString(port)));
        if (jetStream) {
            Files.createDirectories(storeDir);
            command.addAll(List.of("-js", "-sd", storeDir.toString()));
        }
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await("nats-server on port " + port + " (log " + log + ")").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .failFast("nats-server exited", () -> !process.isAlive())
                .until(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
