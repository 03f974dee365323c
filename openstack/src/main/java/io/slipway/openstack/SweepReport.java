package io.slipway.openstack;

import java.util.List;

/**
 * What a sweep or a job's clean-up removed, and what it could not (each entry names the resource and the error);
 * those stay for the next sweep, which finds them by their metadata.
 */
public record SweepReport(List<String> deletedServers, List<String> deletedImages, List<String> failures) {

    public SweepReport {
        deletedServers = List.copyOf(deletedServers);
        deletedImages = List.copyOf(deletedImages);
        failures = List.copyOf(failures);
    }
}
