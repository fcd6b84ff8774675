package dev.runner.transport;

import java.util.ArrayList;
import java.util.List;

/** Server event JSON for scripts, named after the wire events. */
public final class Events {
  private Events() {}

  public static String created(String id) {
    return "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"" + id
        + "\",\"status\":\"in_progress\"}}";
  }

  public static String textDelta(String text) {
    return "{\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"item_id\":\"msg_1\",\"output_index\":0,"
        + "\"content_index\":0,\"delta\":\"" + text + "\"}";
  }

  public static String messageDone(int index, String text) {
    return "{\"type\":\"response.output_item.done\",\"sequence_number\":2,\"output_index\":" + index
        + ",\"item\":{\"type\":\"message\",\"id\":\"msg_" + index + "\",\"role\":\"assistant\",\"status\":"
        + "\"completed\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + text + "\"}]}}";
  }

  public static String completed(String id) {
    return "{\"type\":\"response.completed\",\"sequence_number\":3,\"response\":{\"id\":\"" + id
        + "\",\"status\":\"completed\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5,\"total_tokens\":15}}}";
  }

  /** {@code response.completed} that lists one message in its {@code output}. */
  public static String completedWithMessage(String id, String text) {
    return "{\"type\":\"response.completed\",\"sequence_number\":3,\"response\":{\"id\":\"" + id
        + "\",\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"id\":\"msg_0\",\"role\":"
        + "\"assistant\",\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + text
        + "\"}]}],\"usage\":{\"input_tokens\":10,\"output_tokens\":5,\"total_tokens\":15}}}";
  }

  public static String wsError(int status, String code) {
    return "{\"type\":\"error\",\"status\":" + status + ",\"error\":{\"type\":\"invalid_request_error\",\"code\":\""
        + code + "\",\"message\":\"scripted " + code + "\"}}";
  }

  public static String failed(String id, String code) {
    return "{\"type\":\"response.failed\",\"sequence_number\":3,\"response\":{\"id\":\"" + id
        + "\",\"status\":\"failed\",\"error\":{\"code\":\"" + code + "\",\"message\":\"scripted\"}}}";
  }

  /** A whole answer: created, a text delta, the message item, completed. */
  public static List<String> message(String id, String text) {
    List<String> all = new ArrayList<>();
    all.add(created(id));
    all.add(textDelta(text));
    all.add(messageDone(0, text));
    all.add(completed(id));
    return all;
  }
}
