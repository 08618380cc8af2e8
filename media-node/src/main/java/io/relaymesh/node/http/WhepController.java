package io.relaymesh.node.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenService;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** WHEP: play a room with an SDP offer at {@code POST /whep/endpoint}. */
@Requires(missingProperty = HttpApi.GATEWAY_PROPERTY)
@Controller("/whep")
@Tag(name = "WHEP", description = "WebRTC-HTTP egress (draft-ietf-wish-whep): play; token protocol whep")
@SecurityRequirement(name = "token")
public final class WhepController extends SessionController {

    WhepController(Signaling signaling, TokenService tokens) {
        super(signaling, tokens, Protocol.WHEP, Signaling.SessionKind.PLAY, "/whep");
    }
}
