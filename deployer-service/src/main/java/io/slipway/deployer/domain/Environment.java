package io.slipway.deployer.domain;

import io.slipway.common.glob.Glob;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One environment of the operators' configuration: which repositories and refs may go there (globs), whether runs of
 * pull or merge requests may ({@code previews}), where it answers and the operators' smoke checks, and how it is
 * reached: at once after publication ({@code after} null), or promoted after the environment {@code after} passed,
 * with a soak time and, when {@code approval}, an operator's approval.
 */
public record Environment(String name, List<Glob> repositories, List<Glob> refs, boolean previews, String url,
                          List<SmokeCheck> smoke, String after, boolean approval, Duration soak,
                          DeploymentTarget target) {

    public Environment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        repositories = List.copyOf(repositories);
        refs = List.copyOf(refs);
        smoke = smoke == null ? List.of() : List.copyOf(smoke);
        soak = soak == null ? Duration.ZERO : soak;
    }

    /** Whether the repository may deploy here at all (whatever the ref). */
    public boolean allowsRepository(String repository) {
        return Glob.any(repositories, repository);
    }

    /** Why {@code run} may not deploy here, or null when it may. */
    public String refusal(Run run) {
        if (!allowsRepository(run.repository())) {
            return "environment '" + name + "' does not allow repository " + run.repository() + " (repositories: "
                    + repositories + ")";
        }
        if (run.request() && !previews) {
            return "environment '" + name + "' does not take runs of pull or merge requests (previews: false)";
        }
        if (!Glob.any(refs, run.ref())) {
            return "environment '" + name + "' does not allow ref " + run.ref() + " (refs: " + refs + ")";
        }
        return null;
    }
}
