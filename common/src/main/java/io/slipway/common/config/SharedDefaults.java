package io.slipway.common.config;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.AbstractPropertySourceLoader;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Gives every service the settings all five share ({@value #RESOURCE}: Kafka, schema registry, topics, metrics,
 * endpoints) as one property source ordered below the service's own {@code application.yml}, so the service file, a
 * config file or an environment variable overrides any of them. The file has its own name because Micronaut reads
 * only the first {@code application.yml} on the classpath; it is added to every context built while common is there.
 */
@ContextConfigurer
public final class SharedDefaults implements ApplicationContextConfigurer {

    /** The classpath resource holding the shared settings. */
    public static final String RESOURCE = "slipway-defaults.yml";
    /** Below {@code application.yml} and its environment variants (the highest order wins). */
    public static final int ORDER = AbstractPropertySourceLoader.DEFAULT_POSITION - 100;

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(propertySource());
    }

    private static PropertySource propertySource() {
        try (InputStream in = SharedDefaults.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath; it ships in common's jar");
            }
            return PropertySource.of(RESOURCE, new YamlPropertySourceLoader().read(RESOURCE, in), ORDER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
