package io.relaymesh.node.http;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** Root of the OpenAPI document generated at compile time and served at {@code /openapi/relaymesh.yml}. */
@OpenAPIDefinition(info = @Info(
        title = "relaymesh",
        version = "v1",
        description = "HTTP API of a relaymesh media node: tokens, WHIP, WHEP, health.",
        license = @License(name = "MIT")))
@SecurityScheme(name = "token", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "A token minted by POST /token/{protocol} for this protocol and room")
@SecurityScheme(name = "secret", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The cluster secret")
final class ApiDefinition {
    private ApiDefinition() {
    }
}
