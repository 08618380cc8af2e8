package io.relaymesh.operator.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository the tests read: examples, the chart, the committed and the generated CRDs. */
public final class RepoFiles {

    private RepoFiles() {
    }

    public static Path root() {
        String configured = System.getProperty("relaymesh.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    public static Path generatedCrds() {
        String configured = System.getProperty("relaymesh.generated.crds");
        Path dir = configured != null ? Path.of(configured) : Path.of("target/classes/META-INF/fabric8");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no generated CRDs in " + dir + ": run the build (process-classes) first");
        }
        return dir;
    }

    public static Path chart() {
        return root().resolve("helm/relaymesh");
    }

    public static Path kubernetesExamples() {
        return root().resolve("examples/kubernetes");
    }
}
