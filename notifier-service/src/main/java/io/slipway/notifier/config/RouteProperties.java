package io.slipway.notifier.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * One entry of {@code slipway.notifier.routes}: repository and branch globs (default {@code **}), stages (default
 * all), event kinds (default FAILED, PUBLISHED and PASSED), whether it hears runs of pull and merge requests
 * ({@code requests}: {@code false}, the default, {@code true} or {@code only}; a request's target branch is matched by
 * {@code branches}), the environments whose deployments, rollbacks and failed deployments it hears (globs, default
 * {@code **}), and the names of the Slack webhooks and forges (issue trackers) that hear about matching
 * outcomes.
 */
@EachProperty(value = "slipway.notifier.routes", list = true)
public record RouteProperties(@Parameter Integer index,
                              @Nullable List<String> repositories,
                              @Nullable List<String> branches,
                              @Nullable List<String> stages,
                              @Nullable List<String> events,
                              @Nullable List<String> slack,
                              @Nullable List<String> issues,
                              @Nullable String requests,
                              @Nullable List<String> environments) {
}
