package io.relaymesh.node.http;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.relaymesh.node.sfu.Signaling;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * {@code GET /drain}: the node stops taking sessions ({@code /health} turns 503, new offers get 503) and the
 * call returns once the live sessions have ended or the budget is spent. Kubernetes calls it from a preStop
 * hook; it is accepted only from the node's own machine, so nobody else can take a node out of rotation.
 */
@Controller
@Tag(name = "Node")
public final class DrainController {

    /** Longest a drain call waits when it names no budget. */
    static final int DEFAULT_SECONDS = 25;
    static final int MAX_SECONDS = 3600;

    private final NodeStatus status;
    private final IntSupplier liveSessions;

    DrainController(NodeStatus status, BeanProvider<Signaling> signaling) {
        this.status = status;
        // A gateway has no local sessions (its WebRTC sessions live on media nodes): it drains at once.
        this.liveSessions = () -> signaling.find(null).map(Signaling::sessionCount).orElse(0);
    }

    /** Body of {@code /drain}. */
    @Serdeable
    public record DrainResult(String state, int sessionsLeft) {
    }

    @Get(uri = "/drain", produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "Stop taking sessions and wait (up to `seconds`, default 25) for live ones to end; "
            + "only from the node's own machine")
    public MutableHttpResponse<?> drain(HttpRequest<?> request, @Nullable @QueryValue Integer seconds)
            throws InterruptedException {
        if (!fromThisMachine(request.getRemoteAddress().getAddress())) {
            return Problems.of(HttpStatus.FORBIDDEN, "drain is accepted only from the node's own machine");
        }
        int budget = seconds == null ? DEFAULT_SECONDS : seconds;
        if (budget < 0 || budget > MAX_SECONDS) {
            return Problems.of(HttpStatus.BAD_REQUEST, "seconds must be between 0 and " + MAX_SECONDS);
        }
        if (status.state() == NodeStatus.State.READY) {
            status.set(NodeStatus.State.DRAINING);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(budget).toNanos();
        // Bounded wait: the loop ends at the deadline whatever the sessions do.
        while (liveSessions.getAsInt() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return HttpResponse.ok(new DrainResult(status.state().name(), liveSessions.getAsInt()));
    }

    private static boolean fromThisMachine(InetAddress remote) {
        if (remote == null) {
            return false;
        }
        if (remote.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(remote) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
