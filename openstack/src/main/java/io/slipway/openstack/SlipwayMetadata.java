package io.slipway.openstack;

/**
 * Keys Slipway writes as Nova server metadata and Glance image properties. Provenance keys mirror the OCI labels of
 * container images ({@code org.opencontainers.image.*}, {@code io.slipway.run-id}); {@link #MANAGED},
 * {@link #JOB_ID}, {@link #OWNER} and {@link #EXPIRES} let a restarted stage find and remove what a killed one left.
 */
public final class SlipwayMetadata {

    public static final String REVISION = "org.opencontainers.image.revision";
    public static final String SOURCE = "org.opencontainers.image.source";
    public static final String CREATED = "org.opencontainers.image.created";
    public static final String RUN_ID = "io.slipway.run-id";
    public static final String REPOSITORY = "io.slipway.repository";
    public static final String REF = "io.slipway.ref";
    /** On every server and in-progress image Slipway creates; its value names the stage (builder, tester). */
    public static final String MANAGED = "io.slipway.managed";
    /** One build or test attempt; clean-up after it removes exactly what carries its id. */
    public static final String JOB_ID = "io.slipway.job-id";
    /** The stage instance that created the resource ({@code SLIPWAY_OPENSTACK_OWNER}). */
    public static final String OWNER = "io.slipway.owner";
    /** ISO-8601 instant after which any sweep may delete the resource, whoever created it. */
    public static final String EXPIRES = "io.slipway.expires";
    /** Image state: {@code building} until the builder labelled it, then {@code built}; only building images are swept. */
    public static final String STATE = "io.slipway.state";
    /** Set to {@code release} by the promoter. */
    public static final String CHANNEL = "io.slipway.channel";
    /** On a deployed server: the environment it serves (with {@link #REPOSITORY}, how a deployment finds it). */
    public static final String ENVIRONMENT = "io.slipway.environment";
    /** Glance tag on every image the builder produced. */
    public static final String TAG = "slipway";

    public static final String BUILDER = "builder";
    public static final String TESTER = "tester";
    public static final String DEPLOYER = "deployer";
    public static final String BUILDING = "building";
    public static final String BUILT = "built";
    public static final String RELEASE = "release";

    private SlipwayMetadata() {
    }
}
