package io.relaymesh.node.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenService;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** WHIP (RFC 9725): publish into a room with an SDP offer at {@code POST /whip/endpoint}. */
@Requires(missingProperty = HttpApi.GATEWAY_PROPERTY)
@Controller("/whip")
@Tag(name = "WHIP", description = "WebRTC-HTTP ingestion (RFC 9725): publish; token protocol whip")
@SecurityRequirement(name = "token")
public final class WhipController extends SessionController {

    WhipController(Signaling signaling, TokenService tokens) {
        super(signaling, tokens, Protocol.WHIP, Signaling.SessionKind.PUBLISH, "/whip");
    }
}
