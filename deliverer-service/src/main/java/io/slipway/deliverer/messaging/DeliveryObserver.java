package io.slipway.deliverer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.slipway.deliverer.domain.Delivery;
import io.slipway.deliverer.domain.Outcome;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each delivery's outcome and counts it: {@code slipway.deliverer.deliveries} by outcome ({@code request} for a
 * request's run, which is never released), and for each publication the blobs found present, mounted or uploaded and
 * the bytes uploaded.
 */
@Singleton
public class DeliveryObserver {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryObserver.class);

    private final MeterRegistry meters;

    DeliveryObserver(MeterRegistry meters) {
        this.meters = meters;
    }

    void delivered(Delivery delivery, Outcome outcome) {
        String run = delivery.runId() + "#" + delivery.attempt() + " of " + delivery.repository();
        if (outcome instanceof Outcome.Published published) {
            LOG.info("Run {}: published {} as {} to {}", run, published.digest(), published.tags(),
                    published.publications().stream().map(p -> p.target().toString()).toList());
            for (Outcome.Publication p : published.publications()) {
                meters.counter("slipway.deliverer.blobs", "how", "present").increment(p.promotion().blobsPresent());
                meters.counter("slipway.deliverer.blobs", "how", "mounted").increment(p.promotion().blobsMounted());
                meters.counter("slipway.deliverer.blobs", "how", "uploaded").increment(p.promotion().blobsUploaded());
                meters.counter("slipway.deliverer.uploaded.bytes").increment(p.promotion().bytesUploaded());
            }
        } else if (outcome instanceof Outcome.Failed failed) {
            LOG.warn("Run {}: delivery failed ({}): {}", run, failed.reason(), failed.message());
        } else if (outcome instanceof Outcome.NotReleased request) {
            LOG.info("Run {}: tests request {}, whose run ends at TEST; nothing released", run, request.request());
        } else {
            LOG.info("Run {}: already delivered ({}), nothing published again", run,
                    ((Outcome.AlreadyDelivered) outcome).earlier().outcome());
        }
        String name = outcome instanceof Outcome.Published ? "published"
                : outcome instanceof Outcome.Failed ? "failed"
                : outcome instanceof Outcome.NotReleased ? "request" : "duplicate";
        meters.counter("slipway.deliverer.deliveries", "outcome", name).increment();
    }
}
