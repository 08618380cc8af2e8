package io.relaymesh.node.connector;

import io.relaymesh.node.protocol.ProtocolException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's acknowledged offset: the first queue record it has not delivered yet. Stored as one text line,
 * {@code <offset> <crc32c of the offset's digits, 8 hex>}, replaced atomically (written beside, fsync'd,
 * renamed), so a crash leaves either the old or the new value, never half of one.
 */
final class AckFile {

    private static final Logger LOG = LoggerFactory.getLogger(AckFile.class);

    private final Path path;
    private final Path temp;

    AckFile(Path path) {
        this.path = path;
        this.temp = path.resolveSibling(path.getFileName() + ".tmp");
    }

    /** The stored offset; 0 when there is none, or when the file is damaged (redelivers: at least once). */
    long read() throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return 0;
        }
        try {
            return parse(text);
        } catch (ProtocolException e) {
            LOG.warn("{}: {}; delivering this sink's events again from the start of the queue", path, e.getMessage());
            return 0;
        }
    }

    void write(long offset) throws IOException {
        Files.writeString(temp, format(offset), StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String format(long offset) {
        String digits = Long.toString(offset);
        return digits + " " + checksum(digits) + "\n";
    }

    static long parse(String text) throws ProtocolException {
        String line = text.strip();
        int space = line.indexOf(' ');
        if (space <= 0 || space == line.length() - 1) {
            throw new ProtocolException("ack file: expected '<offset> <checksum>', got '" + abbreviate(line) + "'");
        }
        String digits = line.substring(0, space);
        String sum = line.substring(space + 1);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 18) {
            throw new ProtocolException("ack file: offset '" + abbreviate(digits) + "' is not a number");
        }
        if (!checksum(digits).equals(sum)) {
            throw new ProtocolException("ack file: checksum " + abbreviate(sum) + " does not match offset " + digits);
        }
        return Long.parseLong(digits);
    }

    private static String checksum(String digits) {
        CRC32C c = new CRC32C();
        c.update(digits.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().toHexDigits((int) c.getValue());
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
