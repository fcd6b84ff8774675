package dev.runner.emulator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that carried no bytes either way for a while, at the TCP level and without a close frame: what a
 * proxy or load balancer with an idle timeout does to a WebSocket. It sits first in the pipeline, so every byte counts,
 * pings and pongs included, as they do for such a proxy.
 */
final class IdleCloser extends IdleStateHandler {
  static final String NAME = "emulator.idleCloser";

  private final Runnable onClose;

  IdleCloser(Duration idle, Runnable onClose) {
    super(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
    this.onClose = onClose;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    if (evt.state() == IdleState.ALL_IDLE) {
      onClose.run();
      ctx.close();
    }
  }
}
