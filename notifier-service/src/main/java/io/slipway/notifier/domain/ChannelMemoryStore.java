package io.slipway.notifier.domain;

/**
 * Port: durable {@link ChannelMemory} per channel, repository and branch ({@link Notification#branch()}), one record
 * each, so no record grows with the number of branches. {@link #save} returns once the memory would survive a
 * restart of this or any other instance, except on a thread that defers its saves (a channel worker: the memory is
 * held at once, and the worker waits for the saves to be acknowledged before it commits the records behind them).
 */
public interface ChannelMemoryStore {

    ChannelMemory load(ChannelId channel, String repository, String branch);

    void save(ChannelId channel, String repository, String branch, ChannelMemory memory);
}
