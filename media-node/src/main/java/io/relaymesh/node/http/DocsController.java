package io.relaymesh.node.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;

/**
 * Swagger UI at {@code /ui}, served from the swagger-ui webjar bundled in the jar (works offline), pointed at
 * the OpenAPI document generated at compile time.
 */
@Controller
@Hidden
public final class DocsController {

    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>relaymesh API</title>
              <link rel="stylesheet" href="/ui/assets/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/ui/assets/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: '/openapi/relaymesh.yml', dom_id: '#swagger-ui'});
              </script>
            </body>
            </html>
            """;

    @Get(uri = "/ui", produces = MediaType.TEXT_HTML)
    public String ui() {
        return PAGE;
    }

    @Get(uri = "/")
    public HttpResponse<?> root() {
        return HttpResponse.seeOther(URI.create("/samples/"));
    }
}
