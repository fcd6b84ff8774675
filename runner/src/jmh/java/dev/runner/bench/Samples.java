package dev.runner.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Item;
import dev.runner.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire data shaped like a {@code tools:40} session for the micro-benchmarks: the events of one tool-call turn, the
 * events of a streamed text answer, and the conversation after {@code n} tool turns. Built in code (not captured) so
 * the benchmarks need no running server; field names and sizes follow the Responses API stream.
 */
public final class Samples {
  private Samples() {}

  /** The events of a turn that calls the shell tool once, as JSON texts in stream order. */
  public static List<String> toolTurnEvents(int turn) {
    List<String> events = new ArrayList<>();
    String id = "resp_" + "0123456789abcdef".repeat(2) + turn;
    events.add(event("response.created", 0).set("response", response(id, "in_progress", null)).toString());
    events.add(event("response.in_progress", 1).set("response", response(id, "in_progress", null)).toString());
    ObjectNode call = Json.MAPPER.createObjectNode().put("type", "function_call").put("id", "fc_" + turn)
        .put("call_id", "call_" + turn).put("name", "shell").put("arguments", "").put("status", "in_progress");
    events.add(event("response.output_item.added", 2).put("output_index", 0).set("item", call).toString());
    String args = "{\"command\":\"echo step " + turn + "\"}";
    int seq = 3;
    for (int i = 0; i < args.length(); i += 6) {
      events.add(event("response.function_call_arguments.delta", seq++).put("item_id", "fc_" + turn)
          .put("output_index", 0).put("delta", args.substring(i, Math.min(args.length(), i + 6))).toString());
    }
    events.add(event("response.function_call_arguments.done", seq++).put("item_id", "fc_" + turn)
        .put("output_index", 0).put("arguments", args).toString());
    ObjectNode done = call.deepCopy().put("arguments", args).put("status", "completed");
    events.add(event("response.output_item.done", seq++).put("output_index", 0).set("item", done).toString());
    ArrayNode output = Json.MAPPER.createArrayNode().add(done);
    events.add(event("response.completed", seq).set("response", response(id, "completed", output)).toString());
    return events;
  }

  /** The events of a final text answer streamed in {@code deltas} pieces. */
  public static List<String> textAnswerEvents(int deltas) {
    List<String> events = new ArrayList<>();
    String id = "resp_text";
    events.add(event("response.created", 0).set("response", response(id, "in_progress", null)).toString());
    int seq = 1;
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < deltas; i++) {
      String piece = " word" + i;
      text.append(piece);
      events.add(event("response.output_text.delta", seq++).put("item_id", "msg_1").put("output_index", 0)
          .put("content_index", 0).put("delta", piece).toString());
    }
    ObjectNode msg = Json.MAPPER.createObjectNode().put("type", "message").put("id", "msg_1").put("role", "assistant")
        .put("status", "completed");
    msg.putArray("content").addObject().put("type", "output_text").put("text", text.toString()).putArray("annotations");
    events.add(event("response.output_item.done", seq++).put("output_index", 0).set("item", msg).toString());
    events.add(event("response.completed", seq).set("response",
        response(id, "completed", Json.MAPPER.createArrayNode().add(msg))).toString());
    return events;
  }

  /** {@code events} as an SSE body ({@code event:} and {@code data:} lines, blank line after each). */
  public static byte[] sse(List<String> events) {
    StringBuilder sb = new StringBuilder();
    for (String e : events) {
      String type = e.substring(e.indexOf("\"type\":\"") + 8);
      sb.append("event: ").append(type, 0, type.indexOf('"')).append('\n').append("data: ").append(e).append("\n\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The user prompt plus {@code toolTurns} call/output pairs, as the HTTP transport resends it every turn. */
  public static List<Item> conversation(int toolTurns) {
    List<Item> items = new ArrayList<>();
    items.add(Item.Message.user("Run the tools, then answer."));
    for (int i = 1; i <= toolTurns; i++) {
      items.add(new Item.FunctionCall("fc_" + i, "call_" + i, "shell", "{\"command\":\"echo step " + i + "\"}",
          "completed"));
      items.add(new Item.FunctionCallOutput("call_" + i, "Exit code: 0\nWall time: 0.003 seconds\nOutput:\nstep " + i
          + "\n"));
    }
    return items;
  }

  private static ObjectNode event(String type, int seq) {
    return Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", seq);
  }

  private static ObjectNode response(String id, String status, ArrayNode output) {
    ObjectNode r = Json.MAPPER.createObjectNode().put("id", id).put("object", "response")
        .put("created_at", 1_760_000_000L).put("status", status).put("model", "mock-model");
    r.putNull("error").putNull("incomplete_details").putNull("instructions");
    r.set("output", output == null ? Json.MAPPER.createArrayNode() : output);
    r.put("parallel_tool_calls", false).put("tool_choice", "auto").put("store", false);
    if (output != null) {
      ObjectNode usage = r.putObject("usage").put("input_tokens", 2400).put("output_tokens", 12)
          .put("total_tokens", 2412);
      usage.putObject("input_tokens_details").put("cached_tokens", 2304);
      usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    }
    return r;
  }
}
