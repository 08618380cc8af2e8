package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** The webrtc role of a zone. */
public class WebrtcRoleSpec extends RoleSpec {

    @JsonPropertyDescription("Number of webrtc nodes in the zone, each on its own host.")
    @Default("1")
    @Min(0)
    @Max(MAX_REPLICAS)
    @SpecReplicas
    private int replicas = 1;

    @JsonPropertyDescription("The one UDP port that carries every WebRTC session of the node.")
    @Default("10000")
    @Min(1)
    @Max(65535)
    private int webrtcPort = 10000;

    public WebrtcRoleSpec() {
        super(3000, 4001);
    }

    public int getWebrtcPort() {
        return webrtcPort;
    }

    public void setWebrtcPort(int webrtcPort) {
        this.webrtcPort = webrtcPort;
    }

    @Override
    public int getReplicas() {
        return replicas;
    }

    @Override
    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    @Override
    public int mediaPort() {
        return webrtcPort;
    }
}
