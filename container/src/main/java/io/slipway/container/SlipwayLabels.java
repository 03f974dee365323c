package io.slipway.container;

/**
 * Labels that tie images and containers to the run that made them. Images carry the OCI annotations
 * (revision, source, created, version) and the run id; every container Slipway starts carries {@link #MANAGED}
 * so a restarted stage can sweep what a killed one left behind.
 */
public final class SlipwayLabels {

    public static final String REVISION = "org.opencontainers.image.revision";
    public static final String SOURCE = "org.opencontainers.image.source";
    public static final String CREATED = "org.opencontainers.image.created";
    public static final String VERSION = "org.opencontainers.image.version";
    public static final String RUN_ID = "io.slipway.run-id";
    /** On every container Slipway starts; its value names the stage (builder, tester). */
    public static final String MANAGED = "io.slipway.managed";

    private SlipwayLabels() {
    }
}
