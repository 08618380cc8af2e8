package io.relaymesh.node.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Serves each sample page's {@code index.html} at its folder URL ({@code /samples/whip/}; the trailing slash is
 * optional); the static resource mapping serves the files themselves but not a folder's index.
 */
@Controller("/samples")
@Hidden
public final class SamplesController {

    @Get(uri = "/whip", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> whip() throws IOException {
        return page("whip");
    }

    @Get(uri = "/whep", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> whep() throws IOException {
        return page("whep");
    }

    private static HttpResponse<?> page(String page) throws IOException {
        try (InputStream in = SamplesController.class.getResourceAsStream("/samples/" + page + "/index.html")) {
            if (in == null) {
                return HttpResponse.notFound();
            }
            return HttpResponse.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contentType(MediaType.TEXT_HTML_TYPE);
        }
    }
}
