package io.relaymesh.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A media node started the way the README starts it ({@code java -jar media-node.jar standalone ...}) as a
 * separate process, with Netty's paranoid leak detection on. Closing it sends SIGTERM, waits for a clean exit
 * and fails when the node's log reports a buffer leak.
 */
final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int webrtcPort;
    private final String secret;

    private NodeProcess(Process process, Path log, int httpPort, int webrtcPort, String secret) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.webrtcPort = webrtcPort;
        this.secret = secret;
    }

    static NodeProcess start(String name, String... extraArgs) throws IOException {
        return startRole(name, "standalone", randomSecret(), extraArgs);
    }

    /** A cluster secret for a group of nodes started with {@link #startRole(String, String, String, String...)}. */
    static String randomSecret() {
        byte[] secretBytes = new byte[24];
        new SecureRandom().nextBytes(secretBytes);
        return HexFormat.of().formatHex(secretBytes);
    }

    /**
     * Starts {@code relaymesh <role>} (standalone, media, gateway) with free HTTP and WebRTC ports, loopback as
     * the advertised address unless {@code extraArgs} name others, and {@code secret}; returns once
     * {@code /health} answers 200.
     */
    static NodeProcess startRole(String name, String role, String secret, String... extraArgs) throws IOException {
        String jar = System.getProperty("relaymesh.jar", "target/media-node.jar");
        assertThat(Path.of(jar)).as("the node jar (built by 'mvn package')").exists();
        int http = freeTcpPort();
        int webrtc = freeUdpPort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java,
                "--sun-misc-unsafe-memory-access=allow", // the test JDK is 25; see Main.packetPathDefaults
                "-Dio.netty.leakDetection.level=paranoid",
                "-Dio.netty.leakDetection.targetRecords=8",
                "-jar", jar, role,
                "--http-port", Integer.toString(http),
                "--secret", secret));
        if (!List.of(extraArgs).contains("--advertise-ip")) {
            command.addAll(List.of("--advertise-ip", "127.0.0.1"));
        }
        if (!"gateway".equals(role)) {
            command.addAll(List.of("--webrtc-port", Integer.toString(webrtc)));
        }
        if (!List.of(extraArgs).contains("--data-dir")) {
            command.addAll(List.of("--data-dir", "target/e2e-data"));
        }
        command.addAll(List.of(extraArgs));
        Path log = Path.of("target", "e2e-logs", name + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        NodeProcess node = new NodeProcess(process, log, http, webrtc, secret);
        HttpClient client = HttpClient.newHttpClient();
        await("node " + name + " healthy (log: " + log + ")")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .failFast("node process exited", () -> !process.isAlive())
                .until(() -> {
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(node.uri("/health")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        return r.statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return node;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The HTTP base URL at another of the machine's addresses, e.g. one a network namespace reaches. */
    String baseUrl(String address) {
        return "http://" + address + ":" + httpPort;
    }

    int webrtcPort() {
        return webrtcPort;
    }

    String secret() {
        return secret;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** The last {@code lines} lines of the node's log (for a failure report). */
    String logTail(int lines) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to clean up (crash test). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (!process.isAlive() && process.exitValue() == 137) {
            return; // killed on purpose
        }
        process.destroy(); // SIGTERM: the node closes its sessions and exits
        boolean exited = process.waitFor(20, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = log();
        assertThat(exited).as("node exits within 20 s of SIGTERM; log:%n%s", output).isTrue();
        assertThat(output).as("Netty leak reports in the node log").doesNotContain("LEAK:");
        assertThat(output).as("uncaught errors in the node log").doesNotContain("Exception in thread");
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
