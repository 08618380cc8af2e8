package io.relaymesh.node.sdp;

import java.util.ArrayList;
import java.util.List;

/** Small lexical helpers shared by the attribute parsers: bounded number parsing and token splitting. */
final class SdpSyntax {

    private SdpSyntax() {
    }

    /** Parses an unsigned decimal in {@code [min, max]}; rejects signs, blanks and overflow. */
    static long parseLong(String text, long min, long max, String what) throws SdpException {
        if (text.isEmpty() || text.length() > 19) {
            throw new SdpException("bad " + what + " '" + abbreviate(text) + "': not a number");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdpException("bad " + what + " '" + abbreviate(text) + "': not a number");
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                throw new SdpException("bad " + what + " '" + abbreviate(text) + "': above " + max);
            }
        }
        if (value < min) {
            throw new SdpException("bad " + what + " '" + text + "': below " + min);
        }
        return value;
    }

    static int parseInt(String text, int min, int max, String what) throws SdpException {
        return (int) parseLong(text, min, max, what);
    }

    static int parsePort(String text, String what) throws SdpException {
        return parseInt(text, 0, 65535, what);
    }

    static int parsePayloadType(String text) throws SdpException {
        return parseInt(text, 0, 127, "payload type");
    }

    /** Splits on runs of spaces or tabs, dropping empty pieces. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isBlank(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isBlank(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(text.substring(start, i));
            }
        }
        return out;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 8866 token: visible ASCII minus a few separators. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
                    || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 0x5E && c <= 0x7E);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String requireToken(String text, String what) throws SdpException {
        if (!isToken(text)) {
            throw new SdpException("bad " + what + " '" + abbreviate(text) + "'");
        }
        return text;
    }

    /** RFC 8839 ice-char: ALPHA / DIGIT / "+" / "/". */
    static boolean isIceChars(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
