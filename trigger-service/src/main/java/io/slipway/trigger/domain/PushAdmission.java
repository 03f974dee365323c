package io.slipway.trigger.domain;

import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.schemas.RunIds;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether an authenticated push starts a run: deletions and commits marked {@code [skip ci]} or
 * {@code [ci skip]} are ignored, the ref must pass the repository's branch or tag filter, and the clone URL must
 * pass the clone URL policy. A manual run passes the same filters and policy; only {@code [skip ci]} does not stop
 * it, since a person asked for it. Deduplication is not decided here but by the {@link RunLedger}.
 */
public final class PushAdmission {

    private final CloneUrlPolicy cloneUrls;

    public PushAdmission(CloneUrlPolicy cloneUrls) {
        this.cloneUrls = cloneUrls;
    }

    public Admission admit(Push push, WatchedRepository repository) {
        return admit(push, repository, true);
    }

    /** A manual run of {@code push}: the same ref kinds, filters and clone URL policy, whatever its message says. */
    public Admission admitManual(Push push, WatchedRepository repository) {
        return admit(push, repository, false);
    }

    private Admission admit(Push push, WatchedRepository repository, boolean honourSkipCi) {
        if (push.deleted() || Push.ZERO_SHA.equals(push.sha())) {
            return new Admission.Ignore("ref " + push.ref() + " was deleted");
        }
        if (!push.ref().startsWith("refs/heads/") && !push.isTag()) {
            return new Admission.Ignore("ref " + push.ref() + " is neither a branch nor a tag");
        }
        Optional<String> filtered = push.isTag()
                ? repository.tags().refusal("tag", push.shortRef())
                : repository.branches().refusal("branch", push.shortRef());
        if (filtered.isPresent()) {
            return new Admission.Ignore(filtered.get());
        }
        if (honourSkipCi && skipsCi(push.message())) {
            return new Admission.Ignore("head commit message asks to skip CI");
        }
        Optional<String> refused = cloneUrls.refusal(push.cloneUrl());
        if (refused.isPresent()) {
            return new Admission.Refuse("clone URL refused: " + refused.get());
        }
        return new Admission.Start(push, RunIds.runId(push.repository(), push.sha(), push.ref()));
    }

    static boolean skipsCi(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("[skip ci]") || m.contains("[ci skip]");
    }
}
