package io.slipway.trigger.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.slipway.trigger.domain.RequestSettings;

import java.util.List;

/**
 * One entry of {@code slipway.trigger.repositories}: a glob over repository full names, the webhook secret (or
 * GitLab token) of those repositories, the branch and tag globs that start runs (default: all), and how their pull
 * and merge requests run: {@code requests-build} {@code head} (default) or {@code merge}, {@code requests-from-forks}
 * (default true), {@code fork-approval} {@code required} (default) or {@code none}, and {@code approval-label}
 * (default {@code slipway/approved}).
 * An entry with an empty pattern or secret is skipped, so environment-driven defaults can stay unset.
 */
@EachProperty(value = "slipway.trigger.repositories", list = true)
public record RepositoryProperties(@Parameter Integer index,
                                   @Nullable String pattern,
                                   @Nullable String secret,
                                   @Nullable List<String> branches,
                                   @Nullable List<String> excludeBranches,
                                   @Nullable List<String> tags,
                                   @Nullable List<String> excludeTags,
                                   @Nullable String requestsBuild,
                                   @Nullable Boolean requestsFromForks,
                                   @Nullable String forkApproval,
                                   @Nullable String approvalLabel) {

    public boolean isComplete() {
        return pattern != null && !pattern.isBlank() && secret != null && !secret.isBlank();
    }

    /** The request settings of the entry; a malformed one stops the service at start-up. */
    public RequestSettings requests() {
        return new RequestSettings(RequestSettings.Build.of(requestsBuild),
                requestsFromForks == null || requestsFromForks, RequestSettings.forkApproval(forkApproval),
                approvalLabel == null || approvalLabel.isBlank() ? RequestSettings.DEFAULT_APPROVAL_LABEL
                        : approvalLabel.trim());
    }
}
