package io.slipway.builder.domain;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides whether a waiting build is superseded: a request is superseded when a later request for the same
 * repository and ref sits further down the same lane (one repository's requests share a lane, in order). The index
 * is fed with what a reader sees ahead in each lane and remembers only the newest request per repository and ref,
 * and only while it is ahead of the requests asked about: a lane holds no more than the requests still waiting in it.
 */
public final class SupersedeIndex {

    private record Newest(long position, String sha) {
    }

    private final Map<Integer, Map<String, Newest>> lanes = new HashMap<>();
    private final Map<Integer, Long> readFrom = new HashMap<>();

    /**
     * Where reading of {@code lane} must start so that everything after {@code position} is known: empty when the
     * index already covers it (and then what it knew up to {@code position}, which supersedes nothing any more, is
     * forgotten); otherwise the lane is forgotten and must be read again from the returned position.
     */
    public synchronized OptionalLong restartFor(int lane, long position) {
        Long from = readFrom.get(lane);
        if (from != null && from <= position + 1) {
            lanes.getOrDefault(lane, Map.of()).values().removeIf(newest -> newest.position() <= position);
            readFrom.put(lane, position + 1);
            return OptionalLong.empty();
        }
        lanes.put(lane, new HashMap<>());
        readFrom.put(lane, position + 1);
        return OptionalLong.of(position + 1);
    }

    /** Forgets a lane, e.g. after reading it failed half-way. */
    public synchronized void forget(int lane) {
        lanes.remove(lane);
        readFrom.remove(lane);
    }

    /** Records a request seen at {@code position} of {@code lane}. */
    public synchronized void seen(int lane, long position, String repository, String ref, String sha) {
        lanes.computeIfAbsent(lane, l -> new HashMap<>())
                .merge(key(repository, ref), new Newest(position, sha), (a, b) -> a.position() >= b.position() ? a : b);
    }

    /** The sha of the newest request for the same repository and ref after {@code position}, if there is one. */
    public synchronized Optional<String> newerThan(int lane, long position, String repository, String ref) {
        Newest newest = lanes.getOrDefault(lane, Map.of()).get(key(repository, ref));
        return newest != null && newest.position() > position ? Optional.of(newest.sha()) : Optional.empty();
    }

    /** How many requests the index remembers, over all lanes. */
    public synchronized int size() {
        return lanes.values().stream().mapToInt(Map::size).sum();
    }

    private static String key(String repository, String ref) {
        return repository + '\n' + ref;
    }
}
