package io.slipway.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A transactional producer as a stage worker hands it to publishers: it forwards everything and reports each fault of
 * a send (thrown, passed to the callback, or met while waiting for the acknowledgement, a timeout included), since any
 * of them leaves the transaction unable to commit.
 */
final class WatchedProducer implements Producer<byte[], byte[]> {

    private final Producer<byte[], byte[]> delegate;
    private final Consumer<Throwable> faults;

    WatchedProducer(Producer<byte[], byte[]> delegate, Consumer<Throwable> faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        Callback watched = (metadata, failure) -> {
            if (failure != null) {
                faults.accept(failure);
            }
            if (callback != null) {
                callback.onCompletion(metadata, failure);
            }
        };
        try {
            return new WatchedFuture(delegate.send(record, watched));
        } catch (RuntimeException e) {
            faults.accept(e);
            throw e;
        }
    }

    @Override
    public void flush() {
        try {
            delegate.flush();
        } catch (RuntimeException e) {
            faults.accept(e);
            throw e;
        }
    }

    @Override
    public void initTransactions() {
        delegate.initTransactions();
    }

    @Override
    public void beginTransaction() {
        delegate.beginTransaction();
    }

    @Override
    @Deprecated
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
        delegate.sendOffsetsToTransaction(offsets, consumerGroupId);
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                                         ConsumerGroupMetadata groupMetadata) {
        delegate.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public void commitTransaction() {
        delegate.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        delegate.abortTransaction();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void close(Duration timeout) {
        delegate.close(timeout);
    }

    /** The acknowledgement of one send; a failure or a timeout while waiting for it is reported too. */
    private final class WatchedFuture implements Future<RecordMetadata> {

        private final Future<RecordMetadata> acknowledgement;

        WatchedFuture(Future<RecordMetadata> acknowledgement) {
            this.acknowledgement = acknowledgement;
        }

        @Override
        public RecordMetadata get() throws InterruptedException, ExecutionException {
            try {
                return acknowledgement.get();
            } catch (ExecutionException e) {
                faults.accept(e.getCause());
                throw e;
            }
        }

        @Override
        public RecordMetadata get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            try {
                return acknowledgement.get(timeout, unit);
            } catch (ExecutionException e) {
                faults.accept(e.getCause());
                throw e;
            } catch (TimeoutException e) {
                faults.accept(e);
                throw e;
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return acknowledgement.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return acknowledgement.isCancelled();
        }

        @Override
        public boolean isDone() {
            return acknowledgement.isDone();
        }
    }
}
