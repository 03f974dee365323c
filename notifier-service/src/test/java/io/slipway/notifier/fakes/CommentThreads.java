package io.slipway.notifier.fakes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The comments a fake forge keeps, each on a thread (an issue or a pull or merge request, named by the fake), with ids
 * counted up as the forge counts them, so the oldest comment has the smallest id.
 */
final class CommentThreads {

    private record Entry(String thread, ObjectNode comment) {
    }

    private final AtomicInteger ids;
    private final Map<Integer, Entry> comments = new ConcurrentHashMap<>();

    CommentThreads(int lastId) {
        this.ids = new AtomicInteger(lastId);
    }

    /** Adds the comment {@code create} makes for the next id to {@code thread}, and returns it. */
    ObjectNode add(String thread, IntFunction<ObjectNode> create) {
        int id = ids.incrementAndGet();
        ObjectNode comment = create.apply(id);
        comments.put(id, new Entry(thread, comment));
        return comment;
    }

    /** The comments of a thread, oldest first. */
    List<ObjectNode> on(String thread) {
        return comments.entrySet().stream().filter(e -> e.getValue().thread().equals(thread))
                .sorted(Map.Entry.comparingByKey()).map(e -> e.getValue().comment()).toList();
    }

    /** The comment with this id if it is on {@code thread}, else null (the forge answers 404). */
    ObjectNode get(String id, String thread) {
        Entry entry = comments.get(Integer.parseInt(id));
        return entry == null || !entry.thread().equals(thread) ? null : entry.comment();
    }
}
