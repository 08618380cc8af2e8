package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The rtmp role of a zone. */
public class RtmpRoleSpec extends RoleSpec {

    @JsonPropertyDescription("Number of rtmp nodes in the zone, each on its own host.")
    @Default("0")
    @Min(0)
    @Max(MAX_REPLICAS)
    private int replicas = 0;

    @JsonPropertyDescription("TCP port of RTMP ingest.")
    @Default("1935")
    @Min(1)
    @Max(65535)
    private int rtmpPort = 1935;

    public RtmpRoleSpec() {
        super(3001, 4002);
    }

    public int getRtmpPort() {
        return rtmpPort;
    }

    public void setRtmpPort(int rtmpPort) {
        this.rtmpPort = rtmpPort;
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
        return rtmpPort;
    }
}
