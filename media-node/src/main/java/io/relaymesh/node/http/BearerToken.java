package io.relaymesh.node.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;

/** Reads the credential of an {@code Authorization: Bearer <credential>} header. */
final class BearerToken {

    private static final String PREFIX = "Bearer ";

    private BearerToken() {
    }

    /** The bearer credential, or null when the header is absent or not a bearer one. */
    static String of(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        return header.substring(PREFIX.length()).trim();
    }
}
