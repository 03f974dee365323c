package io.slipway.notifier.domain;

/**
 * Port: durable {@link ChannelMemory} per channel, repository and branch ({@link Notification#branch()}), one record
 * each, so no record grows with the number of branches. {@link #save} returns once the memory would survive a
 * restart of this or any other instance.
 */
public interface ChannelMemoryStore {

    ChannelMemory load(ChannelId channel, String repository, String branch);

    void save(ChannelId channel, String repository, String branch, ChannelMemory memory);
}
