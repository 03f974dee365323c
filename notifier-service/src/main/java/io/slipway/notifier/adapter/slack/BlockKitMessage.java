package io.slipway.notifier.adapter.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.ChangeRequest;
import io.slipway.notifier.domain.Deployment;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.domain.Notification;
import io.slipway.notifier.domain.NotificationTexts;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a notification as a Slack Block Kit message: a header, the repository, branch (for a pull or merge request:
 * the request, linked, its source and target branches and whether it comes from a fork), short sha, author, stage and
 * reason as fields, the masked log excerpt as a code block, links to the commit and, on success, to the artifact; a
 * deployment adds its environment and URL, a rollback why it happened and the run it took out, a failed deployment that
 * the environment keeps its previous version; {@code text} is the fallback shown in notifications. Text from a run is
 * escaped for mrkdwn and kept within Slack's block limits (3,000 characters per section text, 2,000 per field, 150 per
 * header).
 */
public final class BlockKitMessage {

    static final int SECTION_CHARS = 3000;
    static final int FIELD_CHARS = 2000;
    static final int HEADER_CHARS = 150;

    private final NotificationTexts texts;

    public BlockKitMessage(NotificationTexts texts) {
        this.texts = texts;
    }

    public ObjectNode render(Notification n) {
        ArrayNode blocks = JsonHttp.object().arrayNode();
        blocks.add(JsonHttp.object("type", "header", "text", plain(header(n))));
        List<String> fields = new ArrayList<>(List.of(
                "*Repository*\n" + link(n.repositoryUrl(), escape(n.repository())),
                n.isRequest() ? requestField(n.request()) : "*Branch*\n`" + escape(n.branch()) + "`",
                "*Commit*\n" + link(n.commitUrl().orElse(null), "`" + n.shortSha() + "`") + " " + escape(cut(n.commitTitle(), 200)),
                "*Author*\n" + escape(cut(n.requestOrCommitAuthor(), 200)),
                "*Stage*\n" + escape(n.stage())));
        if (n.reasonCode() != null) {
            fields.add("*Reason*\n`" + escape(n.reasonCode()) + "`");
        }
        if (n.isDeployment()) {
            fields.addAll(deploymentFields(n));
        }
        ObjectNode facts = JsonHttp.object("type", "section");
        ArrayNode factFields = facts.putArray("fields");
        fields.forEach(f -> factFields.add(mrkdwn(cut(f, FIELD_CHARS))));
        blocks.add(facts);
        texts.message(n).ifPresent(m -> blocks.add(section("> " + escape(m).replace("\n", "\n> "))));
        texts.excerpt(n, SECTION_CHARS - 200).ifPresent(e -> blocks.add(section("*Log excerpt*\n```" + escape(e) + "```")));
        if (n.artifact() != null) {
            String tags = n.artifact().tags().isEmpty() ? "" : "\nTags: " + String.join(", ",
                    n.artifact().tags().stream().map(t -> "`" + escape(t) + "`").toList());
            blocks.add(section("*Artifact*\n" + link(texts.artifactUrl(n).orElse(null),
                    "`" + escape(n.artifact().reference()) + "`") + tags));
        }
        String run = "Run " + link(texts.runUrl(n).orElse(null), escape(n.runId())) + " · attempt " + n.attempt();
        blocks.add(JsonHttp.object("type", "context").set("elements", JsonHttp.object().arrayNode().add(mrkdwn(run))));
        ObjectNode message = JsonHttp.object("text", escape(texts.summary(n)));
        message.set("blocks", blocks);
        return message;
    }

    private static String header(Notification n) {
        String icon = switch (n.kind()) {
            case STARTED -> ":arrow_forward:";
            case PUBLISHED, PASSED -> ":white_check_mark:";
            case CANCELLED, IGNORED -> ":heavy_minus_sign:";
            case FAILED -> ":x:";
            case DEPLOYED -> ":rocket:";
            case ROLLED_BACK -> ":rewind:";
        };
        String what = switch (n.kind()) {
            case STARTED -> "run started";
            case PUBLISHED -> "published";
            case PASSED -> "passed";
            case CANCELLED -> "CANCELLED".equals(n.reasonCode()) ? "cancelled" : "superseded";
            case IGNORED -> "ignored";
            case FAILED -> n.isDeployment() ? "failed to deploy to " + n.deployment().environment()
                    : "failed at " + n.stage();
            case DEPLOYED -> "deployed to " + n.deployment().environment();
            case ROLLED_BACK -> "rolled back in " + n.deployment().environment();
        };
        String subject = n.isRequest() ? n.request().displayName() : n.branch();
        return cut(icon + " " + escape(n.repository() + " " + subject + " " + what), HEADER_CHARS);
    }

    /** The environment, where it answers, and what a rollback or a failed deployment left running there. */
    private List<String> deploymentFields(Notification n) {
        Deployment d = n.deployment();
        List<String> fields = new ArrayList<>();
        fields.add("*Environment*\n`" + escape(d.environment()) + "`");
        if (d.url() != null && !d.url().isBlank()) {
            fields.add("*URL*\n" + link(d.url(), escape(cut(d.url(), 500))));
        }
        if (n.kind() == EventKind.ROLLED_BACK) {
            fields.add("*Restored*\n`" + n.shortSha() + "` of run " + escape(n.runId()));
            fields.add("*Rolled back*\n" + escape(texts.rollbackReason(n).strip()));
        }
        if (n.kind() == EventKind.FAILED) {
            fields.add("*Still running*\n" + escape(texts.keepsPrevious(n)));
        }
        return fields;
    }

    /** The request, linked, with its branches, and where it comes from when that is a fork. */
    private static String requestField(ChangeRequest r) {
        String kind = r.kind() == ChangeRequest.Kind.MERGE ? "Merge request" : "Pull request";
        return "*" + kind + "*\n" + link(r.webUrl(), escape(r.displayName())) + " `" + escape(r.sourceBranch())
                + "` → `" + escape(r.targetBranch()) + "`"
                + (r.fromFork() ? "\nfrom a fork: `" + escape(r.sourceRepository()) + "`" : "");
    }

    private static ObjectNode section(String text) {
        return JsonHttp.object("type", "section").set("text", mrkdwn(cut(text, SECTION_CHARS)));
    }

    private static ObjectNode mrkdwn(String text) {
        return JsonHttp.object("type", "mrkdwn", "text", text);
    }

    private static ObjectNode plain(String text) {
        return JsonHttp.object("type", "plain_text", "text", text, "emoji", true);
    }

    private static String link(String url, String label) {
        return url == null || url.isBlank() ? label : "<" + escape(url) + "|" + label + ">";
    }

    /** Slack's mrkdwn treats {@code &}, {@code <} and {@code >} as control characters. */
    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String text, int max) {
        return text == null ? "" : text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
