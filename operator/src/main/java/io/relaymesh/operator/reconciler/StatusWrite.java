package io.relaymesh.operator.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.List;
import java.util.Map;

/**
 * Writes a resource's status whole: one JSON Patch operation that sets {@code /status} to the value the
 * reconciler computed, after which the server's answer goes into JOSDK's primary cache, so the next
 * reconciliation compares with what was written rather than with an informer copy that has not seen the write.
 *
 * <p>Why not {@code UpdateControl.patchStatus}: without server-side apply JOSDK sends a JSON Patch diffed against
 * the cached copy of the resource, with list entries addressed by index. Right after a status write that copy is
 * often one write behind, and the diff then lands on a list it was not computed for: an entry added twice (a node
 * listed twice), or an operation on a position that no longer exists, which the API server refuses, and which the
 * Fabric8 mock API server never answers at all, so the client retries it for two minutes while every later event
 * of the resource (a scale-down, say) waits behind that reconciliation.
 */
final class StatusWrite {

    private StatusWrite() {
    }

    /** Sets the status of {@code resource} to {@code status}, whatever the server held before. */
    static <S, P extends CustomResource<?, S>> void replace(P resource, S status, Context<P> context) {
        String patch = context.getClient().getKubernetesSerialization()
                .asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
        PrimaryUpdateAndCacheUtils.updateAndCacheResource(resource, context,
                r -> {
                    r.setStatus(status);
                    return r;
                },
                // No resourceVersion in the patch: the operator is the only writer of the status, and a whole
                // status computed from an older spec is corrected by the reconciliation the newer spec triggers
                // (its observedGeneration says which spec it describes).
                r -> context.getClient().resource(r).subresource("status").patch(PatchContext.of(PatchType.JSON), patch));
    }
}
