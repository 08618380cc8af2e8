package io.relaymesh.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A camera file for Chromium's {@code --use-file-for-fake-video-capture}: 1280x720 at 30 fps with real motion
 * (ffmpeg's {@code testsrc2}: a moving gradient, a scrolling pattern and a running counter), so encoders have
 * work at every layer. Motion JPEG rather than Y4M: Chromium reads both, and 10 s of 720p Y4M are 400 MB where the
 * MJPEG is about 20 MB. Chromium plays the file in a loop at 30 fps. Generated once into {@code target/}.
 */
final class FakeCamera {

    static final int WIDTH = 1280;
    static final int HEIGHT = 720;

    private FakeCamera() {
    }

    /** The file, generated with ffmpeg when it is not there yet. */
    static synchronized Path hd() throws IOException, InterruptedException {
        Path file = Path.of("target", "fake-camera", "testsrc2-" + WIDTH + "x" + HEIGHT + "-30fps.mjpeg").toAbsolutePath();
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return file;
        }
        assertThat(NetNs.onPath("ffmpeg")).as("'ffmpeg' missing: apt-get install ffmpeg (scripts/test.sh does)").isTrue();
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        Path log = file.resolveSibling("ffmpeg.log");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=30",
                "-t", "10", "-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p", "-f", "mjpeg", partial.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = ffmpeg.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            ffmpeg.destroyForcibly();
        }
        assertThat(done && ffmpeg.exitValue() == 0).as("ffmpeg made the fake camera file; log:%n%s",
                Files.readString(log)).isTrue();
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
