package io.slipway.dashboard.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.slipway.dashboard.domain.LiveChanges;
import io.slipway.dashboard.domain.RunHistory;
import io.slipway.dashboard.domain.metrics.DeliveryFacts;
import io.slipway.dashboard.store.JdbcDeliveryFacts;
import io.slipway.dashboard.store.JdbcProjection;
import io.slipway.dashboard.store.JdbcRunHistory;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wires the read model: the projection that writes it, and the {@link RunHistory} the pages read and the metrics'
 * {@link DeliveryFacts}, on one database.
 */
@Factory
public class StoreFactory {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB)?");

    @Singleton
    JdbcProjection projection(DataSource dataSource, LiveChanges live,
                              @Value("${slipway.dashboard.log-limit:4MiB}") String logLimit) {
        return new JdbcProjection(dataSource, bytes("slipway.dashboard.log-limit", logLimit), live);
    }

    @Singleton
    RunHistory runHistory(DataSource dataSource) {
        return new JdbcRunHistory(dataSource);
    }

    @Singleton
    DeliveryFacts deliveryFacts(DataSource dataSource) {
        return new JdbcDeliveryFacts(dataSource);
    }

    /** A size such as {@code 4MiB}, {@code 512KiB} or {@code 1048576} in bytes. */
    static long bytes(String setting, String value) {
        Matcher matcher = SIZE.matcher(value.strip());
        if (!matcher.matches()) {
            throw new ConfigurationException(setting + " must be a size such as 4MiB, 512KiB or 1048576, not '"
                    + value + "'");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        int shift = switch (unit.toUpperCase(Locale.ROOT)) {
            case "KIB" -> 10;
            case "MIB" -> 20;
            case "GIB" -> 30;
            default -> 0;
        };
        return number << shift;
    }
}
