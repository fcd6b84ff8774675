package dev.runner.transport.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Hands a socket's whole text and binary messages to {@link WsConnection} where they leave the frame aggregator, and
 * releases them. Pongs answer the connection's keepalive pings and end here. The server's close frame ends here too
 * when the runner started the closing handshake (it is the reply the runner waits for; Reactor Netty, which did not
 * send our close, would answer it with a second one); otherwise close and ping go on to Reactor Netty, which answers
 * them.
 */
final class DataFrames extends ChannelInboundHandlerAdapter {
  static final String NAME = "runner.dataFrames";

  private final Consumer<WebSocketFrame> sink;
  private final BooleanSupplier closing;
  private final Runnable pong;

  DataFrames(Consumer<WebSocketFrame> sink) {
    this(sink, () -> false, () -> {});
  }

  /**
   * @param closing true once the runner has sent its close frame
   * @param pong called for every pong
   */
  DataFrames(Consumer<WebSocketFrame> sink, BooleanSupplier closing, Runnable pong) {
    this.sink = sink;
    this.closing = closing;
    this.pong = pong;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
      try {
        sink.accept((WebSocketFrame) msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    } else if (msg instanceof PongWebSocketFrame) {
      ReferenceCountUtil.release(msg);
      pong.run();
    } else if (msg instanceof CloseWebSocketFrame && closing.getAsBoolean()) {
      ReferenceCountUtil.release(msg);
      ctx.close(); // the closing handshake is complete: the client may drop the TCP connection
    } else {
      ctx.fireChannelRead(msg);
    }
  }
}
