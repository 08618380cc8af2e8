package io.relaymesh.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.relaymesh.node.cli.RelaymeshCommand;
import io.relaymesh.node.config.NodeSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Runs a media-node container's command line through the media node's own CLI classes, as the pod would run
 * it. Environment variables cannot be set in a test JVM, so each {@code RELAYMESH_X} the pod gets becomes the
 * {@code --x} flag it stands for (after checking that flag reads exactly that variable), with the value the
 * kubelet would resolve: the ConfigMap's value, a host IP, the pod's ordinal, a stand-in secret.
 */
public final class MediaNodeCli {

    public static final String IMAGE_JAR_COMMAND = "java -jar /app/media-node.jar";
    /** Stands in for the Secret's value: 40 bytes, above the node's 32-byte minimum. */
    static final String STAND_IN_SECRET = "0123456789abcdefghijklmnopqrstuvwxyzABCD";
    static final String STAND_IN_HOST_IP = "10.20.30.40";

    private MediaNodeCli() {
    }

    /** Outcome of one parse: exit code, what the CLI printed, and the settings the node would have started with. */
    public record Parsed(List<String> argv, int exitCode, String errors, NodeSettings settings) {
    }

    /** Every pod of the StatefulSet (first and last ordinal) parses and validates. */
    public static List<Parsed> assertAccepted(StatefulSet sts, KubernetesClient client) {
        int first = sts.getSpec().getOrdinals() == null ? 0 : sts.getSpec().getOrdinals().getStart();
        int last = first + Math.max(0, sts.getSpec().getReplicas() - 1);
        List<Parsed> results = new ArrayList<>();
        for (int ordinal : List.of(first, last)) {
            Container container = sts.getSpec().getTemplate().getSpec().getContainers().getFirst();
            Parsed parsed = parse(container, sts.getMetadata().getNamespace(), ordinal, client);
            assertThat(parsed.exitCode())
                    .as("media node rejected %s: %s", parsed.argv(), parsed.errors())
                    .isZero();
            results.add(parsed);
        }
        return results;
    }

    public static Parsed parse(Container container, String namespace, int ordinal, KubernetesClient client) {
        assertThat(String.join(" ", container.getCommand())).isEqualTo(IMAGE_JAR_COMMAND);
        List<String> argv = new ArrayList<>(container.getArgs());
        String subcommand = argv.getFirst();
        CommandLine probe = RelaymeshCommand.commandLine(s -> 0);
        CommandLine sub = probe.getSubcommands().get(subcommand);
        assertThat(sub).as("media node has no subcommand %s", subcommand).isNotNull();
        for (EnvVar env : container.getEnv()) {
            String flag = flagFor(env.getName());
            OptionSpec option = sub.getCommandSpec().findOption(flag);
            assertThat(option).as("%s sets %s but '%s' has no %s", container.getName(), env.getName(), subcommand, flag)
                    .isNotNull();
            assertThat(option.defaultValueString(false)).as("%s reads %s", flag, env.getName())
                    .startsWith("${env:" + env.getName());
            argv.add(flag + "=" + resolve(env, namespace, ordinal, client));
        }
        return run(argv);
    }

    /** {@code RELAYMESH_ADVERTISE_IP} is read by {@code --advertise-ip}. */
    public static String flagFor(String envName) {
        assertThat(envName).as("only RELAYMESH_ variables reach the node").startsWith("RELAYMESH_");
        return "--" + envName.substring("RELAYMESH_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Parsed run(List<String> argv) {
        AtomicReference<NodeSettings> captured = new AtomicReference<>();
        CommandLine cl = RelaymeshCommand.commandLine(settings -> {
            captured.set(settings);
            return 0;
        });
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute(argv.toArray(String[]::new));
        return new Parsed(List.copyOf(argv), code, err.toString(), captured.get());
    }

    private static String resolve(EnvVar env, String namespace, int ordinal, KubernetesClient client) {
        if (env.getValueFrom() == null) {
            return env.getValue();
        }
        var from = env.getValueFrom();
        if (from.getSecretKeyRef() != null) {
            return STAND_IN_SECRET;
        }
        if (from.getFieldRef() != null) {
            String path = from.getFieldRef().getFieldPath();
            if (path.equals("status.hostIP")) {
                return STAND_IN_HOST_IP;
            }
            if (path.equals("metadata.labels['apps.kubernetes.io/pod-index']")) {
                return String.valueOf(ordinal);
            }
            throw new AssertionError("unexpected field reference " + path);
        }
        if (from.getConfigMapKeyRef() != null) {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(from.getConfigMapKeyRef().getName()).get();
            assertThat(cm).as("ConfigMap %s", from.getConfigMapKeyRef().getName()).isNotNull();
            String value = cm.getData().get(from.getConfigMapKeyRef().getKey());
            assertThat(value).as("ConfigMap %s key %s", cm.getMetadata().getName(), from.getConfigMapKeyRef().getKey())
                    .isNotNull();
            return value;
        }
        throw new AssertionError("unexpected env source " + from);
    }
}
