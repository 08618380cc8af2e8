package io.relaymesh.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.relaymesh.operator.crd.v1alpha1.status.ConditionedStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the Ready, Progressing and Degraded conditions. A condition keeps its {@code lastTransitionTime} while
 * its status stays the same, so a status that did not change compares equal and is not patched again.
 */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    private Conditions() {
    }

    /** The three conditions of one outcome. */
    public record Outcome(boolean ready, boolean progressing, boolean degraded, String reason, String message) {

        public static Outcome ready(String reason, String message) {
            return new Outcome(true, false, false, reason, message);
        }

        public static Outcome progressing(String reason, String message) {
            return new Outcome(false, true, false, reason, message);
        }

        /** The spec or a reference is wrong: nothing is rolled out until it is fixed. */
        public static Outcome invalid(String reason, String message) {
            return new Outcome(false, false, true, reason, message);
        }
    }

    /** Writes the outcome into {@code next}, carrying transition times over from {@code previous}. */
    public static void apply(Outcome outcome, ConditionedStatus previous, ConditionedStatus next, long generation,
                             Instant now) {
        List<Condition> conditions = new ArrayList<>();
        conditions.add(condition(previous, READY, outcome.ready(), outcome.reason(), outcome.message(), generation, now));
        conditions.add(condition(previous, PROGRESSING, outcome.progressing(), outcome.reason(), outcome.message(),
                generation, now));
        conditions.add(condition(previous, DEGRADED, outcome.degraded(), outcome.reason(), outcome.message(),
                generation, now));
        next.setConditions(conditions);
        next.setObservedGeneration(generation);
    }

    private static Condition condition(ConditionedStatus previous, String type, boolean value, String reason,
                                       String message, long generation, Instant now) {
        String status = value ? "True" : "False";
        Optional<Condition> before = previous == null ? Optional.empty() : previous.condition(type);
        String transition = before.filter(c -> status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build();
    }
}
