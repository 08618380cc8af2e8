package io.relaymesh.node.cluster.membership;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The order in which a node probes the others: a shuffled round-robin (SWIM section 4.3), so every member is
 * probed once per pass and the time to the first probe of a dead member is bounded, not just expected. A member
 * that joins mid-pass is inserted at a random position among those not yet probed.
 */
final class ProbeOrder {

    private final RandomGenerator random;
    private final List<String> order = new ArrayList<>();
    private int index;

    ProbeOrder(RandomGenerator random) {
        this.random = random;
    }

    /**
     * The next member for which {@code probeable} holds, starting a new shuffled pass over {@code members} when
     * this one is used up; null when there is none.
     */
    String next(Predicate<String> probeable, Supplier<Collection<String>> members) {
        for (int tries = 0; tries <= order.size() + 1; tries++) {
            if (index >= order.size()) {
                order.clear();
                order.addAll(members.get());
                shuffle();
                index = 0;
                if (order.isEmpty()) {
                    return null;
                }
            }
            String id = order.get(index++);
            if (probeable.test(id)) {
                return id;
            }
        }
        return null;
    }

    void insert(String id) {
        int from = Math.min(index, order.size());
        order.add(from + random.nextInt(order.size() - from + 1), id);
    }

    private void shuffle() {
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
    }
}
