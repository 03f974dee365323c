package io.slipway.common.cache;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedCacheTest {

    @Test
    void computesEachKeyOnceWhileItIsRemembered() {
        List<String> computed = new ArrayList<>();
        BoundedCache<String, String> cache = new BoundedCache<>(2);

        cache.get("a", k -> { computed.add(k); return k.toUpperCase(); });
        String again = cache.get("a", k -> { computed.add(k); return "other"; });

        assertThat(again).isEqualTo("A");
        assertThat(computed).containsExactly("a");
    }

    @Test
    void forgetsTheLeastRecentlyUsedEntryBeyondItsCapacity() {
        List<String> computed = new ArrayList<>();
        BoundedCache<String, String> cache = new BoundedCache<>(2);
        for (String key : List.of("a", "b", "a", "c", "a", "b")) {
            cache.get(key, k -> { computed.add(k); return k; });
        }

        assertThat(cache.size()).isEqualTo(2);
        assertThat(computed).containsExactly("a", "b", "c", "b");
    }

    @Test
    void doesNotRememberAFailure() {
        BoundedCache<String, String> cache = new BoundedCache<>(4);

        assertThatThrownBy(() -> cache.get("bad", k -> { throw new IllegalArgumentException(k); }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.size()).isZero();
        assertThatThrownBy(() -> new BoundedCache<>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
