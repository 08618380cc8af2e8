package io.relaymesh.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The iproute2 commands end-to-end tests use to build their own networks: namespaces, veth pairs and
 * {@code tc} queueing disciplines. Needs root; every command that fails fails the test with its output.
 */
final class NetNs {

    private NetNs() {
    }

    /** Fails with what to do when the test does not run as root or one of the commands is missing. */
    static void requireRootAnd(String test, String... commandsToPackages) throws IOException, InterruptedException {
        assertThat(run("id", "-u").trim()).as("%s creates network namespaces: run it as root", test).isEqualTo("0");
        for (int i = 0; i + 1 < commandsToPackages.length; i += 2) {
            String command = commandsToPackages[i];
            String pkg = commandsToPackages[i + 1];
            assertThat(onPath(command)).as("'%s' missing: apt-get install %s (scripts/test.sh does)", command, pkg)
                    .isTrue();
        }
    }

    static boolean onPath(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
    }

    /** Runs a command, fails the test unless it exits 0 within 20 s, and returns its output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("%s finished", String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }

    /** Deletes a namespace (and with it the veth ends inside it); quiet when it is already gone. */
    static void delete(String namespace) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "del", namespace).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Deletes the namespaces named {@code <prefix><pid>...} left by a run whose JVM is gone (killed, or stopped in a
     * debugger), so their names and addresses are free again. Namespaces of live runs are kept.
     */
    static void deleteStale(String prefix) throws IOException, InterruptedException {
        Pattern owned = Pattern.compile("^" + Pattern.quote(prefix) + "(\\d+)\\S*");
        for (String line : List.of(run("ip", "netns", "list").split("\n"))) {
            Matcher m = owned.matcher(line.trim());
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                delete(m.group());
            }
        }
    }
}
