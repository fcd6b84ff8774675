package dev.runner.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.transport.TransportListener;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainedSendsTest {
  /** A callback added to TransportListener later must not be dropped silently for chained POSTs. */
  @Test
  void everyListenerCallbackIsPassedOn() throws Exception {
    List<Method> callbacks = Arrays.stream(TransportListener.class.getDeclaredMethods())
        .filter(m -> m.isDefault()).toList();
    assertThat(callbacks).isNotEmpty();
    for (Method m : callbacks) {
      assertThat(ChainedSends.class.getDeclaredMethod(m.getName(), m.getParameterTypes())).as(m.getName())
          .isNotNull();
    }
  }
}
