package io.relaymesh.node.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an SDP body into {@code <type>=<value>} lines with their 1-based numbers, enforcing the size limit and
 * the line form. Accepts CRLF or bare LF line ends (RFC 8866 section 5 asks parsers to be tolerant of LF).
 */
final class SdpLines {

    /** One line: its 1-based number, type letter and value. */
    record Line(int number, char type, String value) {
    }

    private SdpLines() {
    }

    static List<Line> split(String text, int maxBytes, String what) throws SdpException {
        if (text == null) {
            throw new SdpException(what + " is missing");
        }
        if (text.length() > maxBytes || utf8Length(text) > maxBytes) {
            throw new SdpException(what + " is larger than " + maxBytes + " bytes");
        }
        if (text.isBlank()) {
            throw new SdpException(what + " is empty");
        }
        List<Line> lines = new ArrayList<>();
        int number = 0;
        int start = 0;
        int blankRun = 0;
        int n = text.length();
        while (start < n) {
            int end = text.indexOf('\n', start);
            int next = end < 0 ? n : end + 1;
            int stop = end < 0 ? n : end;
            if (stop > start && text.charAt(stop - 1) == '\r') {
                stop--;
            }
            number++;
            String raw = text.substring(start, stop);
            start = next;
            if (raw.isEmpty()) {
                blankRun++;
                continue;
            }
            if (blankRun > 0) {
                throw new SdpException("line " + (number - blankRun) + ": empty line inside " + what);
            }
            lines.add(toLine(number, raw));
        }
        return lines;
    }

    private static Line toLine(int number, String raw) throws SdpException {
        if (raw.length() < 2 || raw.charAt(1) != '=' || raw.charAt(0) < 'a' || raw.charAt(0) > 'z') {
            throw new SdpException("line " + number + ": not of the form <letter>=<value>: '"
                    + SdpSyntax.abbreviate(printable(raw)) + "'");
        }
        for (int i = 2; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new SdpException("line " + number + ": control character 0x" + Integer.toHexString(c)
                        + " in value");
            }
        }
        return new Line(number, raw.charAt(0), raw.substring(2));
    }

    private static String printable(String raw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length() && i < 40; i++) {
            char c = raw.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return sb.toString();
    }

    private static int utf8Length(String text) {
        // Cheap when ASCII: only non-ASCII characters can make the byte count exceed the char count.
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return text.length();
    }
}
