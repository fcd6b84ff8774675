package dev.runner.transport.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * Hands a socket's whole text and binary messages to {@link WsConnection} where they leave the frame aggregator, and
 * releases them; control frames (close, ping, pong) go on to Reactor Netty, which answers them.
 */
final class DataFrames extends ChannelInboundHandlerAdapter {
  static final String NAME = "runner.dataFrames";

  private final Consumer<WebSocketFrame> sink;

  DataFrames(Consumer<WebSocketFrame> sink) {
    this.sink = sink;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
      try {
        sink.accept((WebSocketFrame) msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }
}
