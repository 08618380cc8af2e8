package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.ArrayList;
import java.util.List;

/** The event connector: one node that exports session, room and track events to NATS and webhooks. */
public class ConnectorSpec {

    @JsonPropertyDescription("Run the event connector.")
    @Default("false")
    private boolean enabled;

    @JsonPropertyDescription("NATS subject the events are published on.")
    @Default("relaymesh.events")
    @Pattern("^[^\\s]+$")
    private String subject = "relaymesh.events";

    @JsonPropertyDescription("HTTP URLs events are also POSTed to.")
    private List<String> webhookUrls = new ArrayList<>();

    @JsonPropertyDescription("TCP port of the connector's HTTP API (health, metrics) on its host.")
    @Default("8090")
    @Min(1)
    @Max(65535)
    private int httpPort = 8090;

    @JsonPropertyDescription("UDP port of the cluster overlay on the connector's host.")
    @Default("4010")
    @Min(1)
    @Max(65535)
    private int clusterPort = 4010;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public List<String> getWebhookUrls() {
        return webhookUrls;
    }

    public void setWebhookUrls(List<String> webhookUrls) {
        this.webhookUrls = webhookUrls;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    public int getClusterPort() {
        return clusterPort;
    }

    public void setClusterPort(int clusterPort) {
        this.clusterPort = clusterPort;
    }
}
