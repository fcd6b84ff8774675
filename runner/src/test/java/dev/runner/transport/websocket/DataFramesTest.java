package dev.runner.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DataFrames in a real Netty pipeline: messages to the connection, control frames on down the pipeline. */
class DataFramesTest {
  private final List<String> received = new ArrayList<>();
  private final List<WebSocketFrame> handed = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel(new DataFrames(frame -> {
    handed.add(frame);
    received.add(frame instanceof TextWebSocketFrame text
        ? text.text()
        : "binary:" + frame.content().readableBytes());
  }));

  @Test
  void textAndBinaryMessagesGoToTheConnectionAndAreReleased() {
    TextWebSocketFrame text = new TextWebSocketFrame("{\"type\":\"response.created\"}");
    BinaryWebSocketFrame binary = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{1, 2, 3}));

    assertThat(channel.writeInbound(text, binary)).isFalse(); // nothing reached the end of the pipeline

    assertThat(received).containsExactly("{\"type\":\"response.created\"}", "binary:3");
    assertThat(handed).allSatisfy(f -> assertThat(f.refCnt()).isZero());
  }

  @Test
  void controlFramesGoOnToReactorNetty() {
    PingWebSocketFrame ping = new PingWebSocketFrame(Unpooled.copiedBuffer("p", StandardCharsets.UTF_8));
    CloseWebSocketFrame close = new CloseWebSocketFrame(1000, "bye");

    assertThat(channel.writeInbound(ping, close)).isTrue();

    assertThat(received).isEmpty();
    assertThat((Object) channel.readInbound()).isSameAs(ping);
    assertThat((Object) channel.readInbound()).isSameAs(close);
    assertThat(ping.refCnt()).isEqualTo(1);
    ping.release();
    close.release();
  }
}
