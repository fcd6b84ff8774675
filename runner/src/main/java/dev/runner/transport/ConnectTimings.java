package dev.runner.transport;

import java.time.Duration;

/**
 * How long a new connection took.
 *
 * @param tcp from the start to a connected channel; includes TLS for {@code https}/{@code wss}, which Reactor Netty
 *     completes before it reports the channel connected
 * @param upgrade from the connected channel to the {@code 101} answer, zero for HTTP
 * @param total everything
 */
public record ConnectTimings(Duration tcp, Duration upgrade, Duration total) {}
