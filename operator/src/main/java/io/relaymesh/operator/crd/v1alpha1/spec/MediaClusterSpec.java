package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Desired state of a {@link io.relaymesh.operator.crd.v1alpha1.MediaCluster}. */
public class MediaClusterSpec {

    @JsonPropertyDescription("The media-node image used by every node of the cluster.")
    private ImageSpec image = new ImageSpec();

    @JsonPropertyDescription("The cluster secret (at least 32 bytes). Absent: the operator generates a random one into a Secret it owns.")
    private SecretKeyRef secretRef;

    @JsonPropertyDescription("Gateway nodes, their Service and the optional Ingress.")
    private GatewaySpec gateway = new GatewaySpec();

    @JsonPropertyDescription("TLS of the Ingress: self-signed by default, or the user's Secret.")
    private TlsSpec tls = new TlsSpec();

    @JsonPropertyDescription("NATS: embedded by default, or an external URL.")
    private NatsSpec nats = new NatsSpec();

    @JsonPropertyDescription("The event connector.")
    private ConnectorSpec connector = new ConnectorSpec();

    @JsonPropertyDescription("The token API.")
    private TokenApiSpec tokenApi = new TokenApiSpec();

    public ImageSpec getImage() {
        return image;
    }

    public void setImage(ImageSpec image) {
        this.image = image == null ? new ImageSpec() : image;
    }

    public SecretKeyRef getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretKeyRef secretRef) {
        this.secretRef = secretRef;
    }

    public GatewaySpec getGateway() {
        return gateway;
    }

    public void setGateway(GatewaySpec gateway) {
        this.gateway = gateway == null ? new GatewaySpec() : gateway;
    }

    public TlsSpec getTls() {
        return tls;
    }

    public void setTls(TlsSpec tls) {
        this.tls = tls == null ? new TlsSpec() : tls;
    }

    public NatsSpec getNats() {
        return nats;
    }

    public void setNats(NatsSpec nats) {
        this.nats = nats == null ? new NatsSpec() : nats;
    }

    public ConnectorSpec getConnector() {
        return connector;
    }

    public void setConnector(ConnectorSpec connector) {
        this.connector = connector == null ? new ConnectorSpec() : connector;
    }

    public TokenApiSpec getTokenApi() {
        return tokenApi;
    }

    public void setTokenApi(TokenApiSpec tokenApi) {
        this.tokenApi = tokenApi == null ? new TokenApiSpec() : tokenApi;
    }
}
