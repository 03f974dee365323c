package io.slipway.notifier.domain;

/**
 * Port: durable {@link ChannelMemory} per channel and repository. {@link #save} returns once the memory would
 * survive a restart of this or any other instance.
 */
public interface ChannelMemoryStore {

    ChannelMemory load(ChannelId channel, String repository);

    void save(ChannelId channel, String repository, ChannelMemory memory);
}
