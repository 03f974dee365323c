package io.slipway.notifier.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * One entry of {@code slipway.notifier.forges}: a GitHub or GitLab instance ({@code base-url} for self-hosted ones)
 * used as issue tracker by the routes that name it, for commit statuses of the {@code repositories} it hosts unless
 * {@code commit-status} is false, and for the comment on a failing pull or merge request of those repositories unless
 * {@code request-comments} is false, and for the deployments of those repositories to the operators' environments
 * (GitHub's or GitLab's deployments API) unless {@code deployments} is false. The token is a secret: set it from the
 * environment. An entry without a token is declared but disabled.
 */
@EachProperty(value = "slipway.notifier.forges", list = true)
public record ForgeProperties(@Parameter Integer index,
                              @Nullable String name,
                              @Nullable String type,
                              @Nullable String baseUrl,
                              @Nullable String token,
                              @Nullable List<String> repositories,
                              @Nullable Boolean commitStatus,
                              @Nullable String statusContext,
                              @Nullable List<String> labels,
                              @Nullable String issueRepository,
                              @Nullable Boolean requestComments,
                              @Nullable Boolean deployments) {

    public boolean enabled() {
        return token != null && !token.isBlank();
    }

    @Override
    public String toString() {
        return "ForgeProperties[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", token="
                + (enabled() ? "****" : "") + ", repositories=" + repositories + ", commitStatus=" + commitStatus
                + ", requestComments=" + requestComments + ", deployments=" + deployments + "]";
    }
}
