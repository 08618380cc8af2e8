package io.relaymesh.node.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relaymesh.node.protocol.ProtocolException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AckFileTest {

    @TempDir
    Path dir;

    @Test
    void missingFileMeansStartFromZero() throws Exception {
        assertThat(new AckFile(dir.resolve("nats.ack")).read()).isZero();
    }

    @Test
    void writtenOffsetIsReadBackAndReplacedAtomically() throws Exception {
        AckFile ack = new AckFile(dir.resolve("nats.ack"));
        ack.write(41);
        ack.write(1_234_567_890_123L);
        assertThat(ack.read()).isEqualTo(1_234_567_890_123L);
        assertThat(new AckFile(dir.resolve("nats.ack")).read()).isEqualTo(1_234_567_890_123L);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("nats.ack");
        }
    }

    @Test
    void damagedFileRedeliversFromTheStart() throws Exception {
        Path p = dir.resolve("nats.ack");
        Files.writeString(p, "999 00000000\n");
        assertThat(new AckFile(p).read()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12", "12 ", " 5", "x1 00000000", "-1 00000000", "99999999999999999999 00000000"})
    void malformedContentIsRejectedWithAReason(String text) {
        assertThatThrownBy(() -> AckFile.parse(text)).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("ack file:");
    }

    @Test
    void everyTruncationOfAValidLineIsRejected() throws Exception {
        String line = AckFile.format(123456).strip();
        assertThat(AckFile.parse(line)).isEqualTo(123456);
        for (int n = 0; n < line.length(); n++) {
            String prefix = line.substring(0, n);
            assertThatThrownBy(() -> AckFile.parse(prefix)).as("'%s'", prefix).isInstanceOf(ProtocolException.class);
        }
    }
}
