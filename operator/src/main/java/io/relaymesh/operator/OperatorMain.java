package io.relaymesh.operator;

/** The relaymesh Kubernetes operator (built out by its own issue). */
public final class OperatorMain {
    private OperatorMain() {
    }

    public static void main(String[] args) {
        System.err.println("relaymesh operator: not available yet");
        System.exit(3);
    }
}
