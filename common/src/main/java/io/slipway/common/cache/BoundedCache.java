package io.slipway.common.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A thread-safe memo of at most {@code capacity} entries that forgets the least recently used one, for values that
 * are costly to compute from keys an outsider may choose (compiled globs and regexes): memory stays bounded whatever
 * arrives. A value that fails to compute is not remembered.
 */
public final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The remembered value of {@code key}, computing it outside the lock when there is none. */
    public V get(K key, Function<? super K, ? extends V> compute) {
        synchronized (entries) {
            V known = entries.get(key);
            if (known != null) {
                return known;
            }
        }
        V value = compute.apply(key);
        synchronized (entries) {
            entries.putIfAbsent(key, value);
        }
        return value;
    }

    /** How many entries are remembered now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
