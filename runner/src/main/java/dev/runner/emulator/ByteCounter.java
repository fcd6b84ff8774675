package dev.runner.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * First handler of every accepted connection: counts wire bytes (before TLS and WebSocket decompression) in both
 * directions, the connection itself, and when the first byte of each request arrived. A connection counts as HTTP
 * until it upgrades; then everything it carried, handshake included, moves to WebSocket.
 */
final class ByteCounter extends ChannelDuplexHandler {
  static final String NAME = "emulator.bytes";

  private final StatsRecorder stats;
  private volatile StatsRecorder.Transport transport = StatsRecorder.Transport.HTTP;
  private long in;
  private long out;
  // 0 = no unanswered bytes yet; set by the first read after a write (a new request), cleared by writes
  private volatile long firstByteMicros;

  ByteCounter(StatsRecorder stats) {
    this.stats = stats;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    stats.increment(StatsRecorder.Counter.TCP_CONNECTIONS);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    long n = size(msg);
    if (n > 0) {
      if (firstByteMicros == 0) {
        firstByteMicros = nowMicros();
      }
      synchronized (this) {
        in += n;
      }
      stats.wire(transport, n, 0);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    long n = size(msg);
    if (n > 0) {
      synchronized (this) {
        out += n;
      }
      stats.wire(transport, 0, n);
      firstByteMicros = 0;
    }
    super.write(ctx, msg, promise);
  }

  /** The arrival time of the current request's first byte (now if unknown); the next request starts afresh. */
  long takeFirstByteMicros() {
    long t = firstByteMicros;
    firstByteMicros = 0;
    return t == 0 ? nowMicros() : t;
  }

  /** Called once the connection upgrades: its bytes so far were the WebSocket handshake. */
  synchronized void switchToWebsocket() {
    if (transport == StatsRecorder.Transport.WEBSOCKET) {
      return;
    }
    stats.wire(StatsRecorder.Transport.HTTP, -in, -out);
    stats.wire(StatsRecorder.Transport.WEBSOCKET, in, out);
    transport = StatsRecorder.Transport.WEBSOCKET;
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf b) {
      return b.readableBytes();
    }
    if (msg instanceof ByteBufHolder h) {
      return h.content().readableBytes();
    }
    return 0;
  }

  static long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }
}
