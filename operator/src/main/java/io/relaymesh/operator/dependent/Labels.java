package io.relaymesh.operator.dependent;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels the operator puts on what it creates, and the selectors built from them. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String CLUSTER = "relaymesh.io/cluster";
    public static final String ROLE = "relaymesh.io/role";
    public static final String ZONE = "relaymesh.io/zone";
    public static final String MEDIA_ZONE = "relaymesh.io/mediazone";
    public static final String WORKLOAD = "relaymesh.io/workload";
    /** Set by Kubernetes (1.28+) on every StatefulSet pod: its ordinal. */
    public static final String POD_INDEX = "apps.kubernetes.io/pod-index";

    public static final String APP = "relaymesh";
    public static final String OPERATOR = "relaymesh-operator";
    /** Every informer of the operator watches only objects carrying this label. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private Labels() {
    }

    /** Labels of every object that belongs to a cluster. */
    public static Map<String, String> forCluster(String cluster, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, APP);
        labels.put(INSTANCE, cluster);
        labels.put(COMPONENT, component);
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(CLUSTER, cluster);
        return labels;
    }
}
