package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The sip role of a zone. */
public class SipRoleSpec extends RoleSpec {

    @JsonPropertyDescription("Number of sip nodes in the zone, each on its own host.")
    @Default("0")
    @Min(0)
    @Max(MAX_REPLICAS)
    private int replicas = 0;

    @JsonPropertyDescription("UDP and TCP port of the SIP edge.")
    @Default("5060")
    @Min(1)
    @Max(65535)
    private int sipPort = 5060;

    public SipRoleSpec() {
        super(3002, 4003);
    }

    public int getSipPort() {
        return sipPort;
    }

    public void setSipPort(int sipPort) {
        this.sipPort = sipPort;
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
        return sipPort;
    }
}
