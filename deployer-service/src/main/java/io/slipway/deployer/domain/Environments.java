package io.slipway.deployer.domain;

import io.slipway.common.policy.Names;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operators' environments, checked as a whole: names are valid and unique, every {@code after} names another
 * environment, and promotions form no cycle, so every environment is reached from one deployed at once.
 */
public final class Environments {

    private final Map<String, Environment> byName = new LinkedHashMap<>();

    /** @throws IllegalArgumentException naming the environment at fault */
    public Environments(List<Environment> environments) {
        for (Environment environment : environments) {
            Names.environmentProblem(environment.name()).ifPresent(problem -> {
                throw new IllegalArgumentException("environment name '" + environment.name() + "' is refused: "
                        + problem);
            });
            if (byName.put(environment.name(), environment) != null) {
                throw new IllegalArgumentException("environment '" + environment.name() + "' is defined twice");
            }
        }
        for (Environment environment : environments) {
            if (environment.after() != null && !byName.containsKey(environment.after())) {
                throw new IllegalArgumentException("environment '" + environment.name() + "' comes after '"
                        + environment.after() + "', which is not defined");
            }
        }
        for (Environment environment : environments) {
            Set<String> seen = new HashSet<>();
            for (Environment e = environment; e.after() != null; e = byName.get(e.after())) {
                if (!seen.add(e.name())) {
                    throw new IllegalArgumentException("environment '" + environment.name()
                            + "' is part of a promotion cycle (after: " + String.join(" -> ", seen) + ")");
                }
            }
        }
    }

    public Optional<Environment> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<Environment> all() {
        return List.copyOf(byName.values());
    }

    /** The environments deployed at once after publication (no {@code after}). */
    public List<Environment> automatic() {
        return byName.values().stream().filter(e -> e.after() == null).toList();
    }

    /** The environments that follow {@code name}. */
    public List<Environment> following(String name) {
        List<Environment> next = new ArrayList<>();
        byName.values().stream().filter(e -> name.equals(e.after())).forEach(next::add);
        return next;
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
