package io.relaymesh.node.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.relaymesh.node.token.TokenException;

/** Error responses: a status and a one-line reason in a plain-text body that clients can show. */
final class Problems {

    private Problems() {
    }

    static MutableHttpResponse<String> of(HttpStatus status, String reason) {
        return HttpResponse.<String>status(status).contentType(MediaType.TEXT_PLAIN_TYPE).body(reason + "\n");
    }

    /** 401 for a missing, malformed, forged or expired token; 403 for a valid one that does not cover this. */
    static MutableHttpResponse<String> of(TokenException e) {
        if (e.reason().unauthenticated()) {
            return of(HttpStatus.UNAUTHORIZED, e.getMessage())
                    .header(io.micronaut.http.HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return of(HttpStatus.FORBIDDEN, e.getMessage());
    }
}
