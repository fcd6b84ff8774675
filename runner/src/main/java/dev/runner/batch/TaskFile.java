package dev.runner.batch;

import dev.runner.files.TempFolders;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.RunnerException;
import dev.runner.config.ConfigInput;
import dev.runner.config.RunConfig;
import dev.runner.config.TransportMode;
import dev.runner.protocol.Json;
import dev.runner.schema.OutputSchema;
import dev.runner.tools.Sandbox;
import dev.runner.tools.SandboxMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks a task file ({@code schemas/batch-task.schema.json}, one JSON object per line, blank lines
 * skipped). Every line is checked before any task runs, and every problem is reported at once (up to {@link
 * #MAX_REPORTED}), each with its line number: a batch never half-runs because line 700 was wrong. Relative paths in a
 * line start at the working directory, as they do on the command line.
 */
public final class TaskFile {
  static final int MAX_REPORTED = 20;
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final Set<String> FIELDS = Set.of("id", "prompt", "prompt_file", "output_schema", "cwd", "model", "provider",
      "transport", "sandbox", "timeout", "max_turns", "config");

  private final TaskDefaults defaults;
  private final List<String> problems = new ArrayList<>();
  private final Map<ConfigInput, Object> configs = new HashMap<>();
  private final Map<Path, Object> schemas = new HashMap<>();

  private TaskFile(TaskDefaults defaults) {
    this.defaults = defaults;
  }

  /**
   * The tasks in {@code text} ({@code source} names it in messages), in file order.
   *
   * @throws RunnerException a usage error (exit 2) listing every problem found, by line
   */
  public static List<BatchTask> parse(String text, String source, TaskDefaults defaults) {
    return new TaskFile(defaults).all(text, source);
  }

  /** Only the ids of {@code text}, in order, with line numbers; for {@code merge --tasks}. Throws as {@link #parse}. */
  public static List<String> ids(String text, String source) {
    List<String> ids = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = Json.MAPPER.readTree(line);
        if (node != null && node.path("id").isTextual()) {
          ids.add(node.get("id").asText());
        } else {
          problems.add(source + ":" + n + ": no \"id\" string");
        }
      } catch (JsonProcessingException e) {
        problems.add(source + ":" + n + ": not JSON");
      }
    }
    fail(problems, source);
    return ids;
  }

  private List<BatchTask> all(String text, String source) {
    List<BatchTask> tasks = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      int before = problems.size();
      BatchTask task = line(n, line, source);
      if (task != null && problems.size() == before) {
        Integer first = seen.putIfAbsent(task.id(), n);
        if (first != null) {
          problems.add(source + ":" + n + ": duplicate id \"" + task.id() + "\" (first on line " + first + ")");
        } else {
          tasks.add(task);
        }
      }
    }
    if (problems.isEmpty() && tasks.isEmpty()) {
      problems.add(source + ": no tasks (every line is blank)");
    }
    fail(problems, source);
    return List.copyOf(tasks);
  }

  private static void fail(List<String> problems, String source) {
    if (problems.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder("task file " + source + " has " + problems.size() + " problem"
        + (problems.size() == 1 ? "" : "s") + "; nothing was run:");
    problems.stream().limit(MAX_REPORTED).forEach(p -> b.append("\n  ").append(p));
    if (problems.size() > MAX_REPORTED) {
      b.append("\n  ... and ").append(problems.size() - MAX_REPORTED).append(" more");
    }
    throw RunnerException.usage(b.toString(),
        "each line is one JSON object as schemas/batch-task.schema.json describes; fix the lines listed");
  }

  private BatchTask line(int n, String text, String source) {
    String at = source + ":" + n + ": ";
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      problems.add(at + "not valid JSON: " + e.getOriginalMessage());
      return null;
    }
    if (node == null || !node.isObject()) {
      problems.add(at + "not a JSON object");
      return null;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        problems.add(at + "unknown field \"" + field + "\" (known: id, prompt, prompt_file, output_schema, cwd, model,"
            + " provider, transport, sandbox, timeout, max_turns, config)");
      }
    }
    String id = string(node, "id", at);
    if (id == null && !node.has("id")) {
      problems.add(at + "missing \"id\"");
    } else if (id != null && !ID.matcher(id).matches()) {
      problems.add(at + "id \"" + id + "\" must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or"
          + " digit (it names the task's patch file)");
    }
    String prompt = prompt(node, at);
    OutputSchema schema = schema(node, at);
    Path cwd = cwd(node, at);
    Duration timeout = timeout(node, at);
    int maxTurns = defaults.maxTurns();
    if (node.has("max_turns")) {
      JsonNode m = node.get("max_turns");
      if (!m.canConvertToInt() || !m.isIntegralNumber() || m.asInt() < 1) {
        problems.add(at + "max_turns must be an integer of at least 1, not " + m);
      } else {
        maxTurns = m.asInt();
      }
    }
    RunConfig config = config(node, at);
    // as exec picks it: the line's own, then -s/--full-auto, then the configuration's sandbox_mode, else read-only
    SandboxMode sandbox = defaults.sandbox();
    String sandboxText = string(node, "sandbox", at);
    if (sandboxText != null) {
      sandbox = SandboxMode.fromLabel(sandboxText).orElse(null);
      if (sandbox == null) {
        problems.add(at + "sandbox \"" + sandboxText
            + "\" is not one of read-only, workspace-write, danger-full-access");
      }
    } else if (sandbox == null) {
      sandbox = config == null
          ? SandboxMode.READ_ONLY
          : config.codex().sandboxMode().flatMap(SandboxMode::fromLabel).orElse(SandboxMode.READ_ONLY);
    }
    if (config != null && sandbox != null && cwd != null) {
      try {
        Sandbox.check(sandbox, cwd, defaults.config().env());
        // an unusable writable root fails the file at load, not each task at its start
        SandboxSetup.policy(config, sandbox, cwd, List.of(), cwd);
      } catch (RunnerException e) {
        problems.add(at + e.getMessage());
      }
    }
    if (id == null || prompt == null || cwd == null || sandbox == null || timeout == null || config == null) {
      return null;
    }
    return new BatchTask(n, id, prompt, schema, cwd, config, sandbox, timeout, maxTurns, defaults.schemaRetries());
  }

  private String string(JsonNode node, String field, String at) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      problems.add(at + "\"" + field + "\" must be a string, not " + v.getNodeType().name().toLowerCase());
      return null;
    }
    return v.asText();
  }

  private String prompt(JsonNode node, String at) {
    boolean inline = node.hasNonNull("prompt");
    boolean file = node.hasNonNull("prompt_file");
    if (inline == file) {
      problems
          .add(at + (inline ? "both \"prompt\" and \"prompt_file\"; give one" : "no \"prompt\" or \"prompt_file\""));
      return null;
    }
    if (inline) {
      String p = string(node, "prompt", at);
      if (p != null && p.isBlank()) {
        problems.add(at + "\"prompt\" is empty");
        return null;
      }
      return p;
    }
    String name = string(node, "prompt_file", at);
    if (name == null) {
      return null;
    }
    Path path = defaults.workingDirectory().resolve(name).normalize();
    try {
      String p = Files.readString(path, StandardCharsets.UTF_8);
      if (p.isBlank()) {
        problems.add(at + "prompt_file " + path + " is empty");
        return null;
      }
      return p;
    } catch (IOException | RuntimeException e) {
      problems.add(at + "prompt_file " + path + " cannot be read: " + e.getMessage());
      return null;
    }
  }

  private OutputSchema schema(JsonNode node, String at) {
    JsonNode v = node.get("output_schema");
    if (v == null || v.isNull()) {
      return defaults.outputSchema() == null ? null : loadSchema(defaults.outputSchema(), at);
    }
    if (v.isTextual()) {
      return loadSchema(defaults.workingDirectory().resolve(v.asText()).normalize(), at);
    }
    if (!v.isObject()) {
      problems.add(at + "\"output_schema\" must be a path or a JSON Schema object");
      return null;
    }
    try {
      Path temp = TempFolders.createFile("runner-batch-schema-", ".json");
      try {
        Files.writeString(temp, v.toString());
        return OutputSchema.load(temp);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (RunnerException e) {
      problems.add(at + "inline output_schema: " + e.getMessage().replaceAll("/\\S*runner-batch-schema-\\d+\\.json",
          "(inline)"));
    } catch (IOException e) {
      problems.add(at + "inline output_schema could not be checked: " + e.getMessage());
    }
    return null;
  }

  /** Schemas shared by many lines are loaded once; a bad one is reported on every line that names it. */
  private OutputSchema loadSchema(Path path, String at) {
    Object loaded = schemas.computeIfAbsent(path, p -> {
      try {
        return OutputSchema.load(p);
      } catch (RunnerException e) {
        return e.getMessage();
      }
    });
    if (loaded instanceof OutputSchema s) {
      return s;
    }
    problems.add(at + loaded);
    return null;
  }

  private Path cwd(JsonNode node, String at) {
    String c = string(node, "cwd", at);
    Path dir = c == null ? defaults.workingDirectory() : defaults.workingDirectory().resolve(c).normalize();
    if (!Files.isDirectory(dir)) {
      problems.add(at + "cwd " + dir + " is not a directory");
      return null;
    }
    return dir.toAbsolutePath();
  }

  private Duration timeout(JsonNode node, String at) {
    JsonNode v = node.get("timeout");
    if (v == null || v.isNull()) {
      return defaults.timeout();
    }
    Duration d = v.isIntegralNumber() && v.asLong() > 0
        ? Duration.ofSeconds(v.asLong())
        : v.isTextual() ? defaults.durations().apply(v.asText()) : null;
    if (d == null || d.isZero() || d.isNegative()) {
      problems.add(at + "timeout " + v + " is not a positive duration; use e.g. 90s, 10m, 1h30m or seconds");
      return null;
    }
    return d;
  }

  private RunConfig config(JsonNode node, String at) {
    ConfigInput base = defaults.config();
    String model = string(node, "model", at);
    String provider = string(node, "provider", at);
    String transportText = string(node, "transport", at);
    Optional<TransportMode> transport = base.transport();
    if (transportText != null) {
      transport = TransportMode.parse(transportText);
      if (transport.isEmpty()) {
        problems.add(at + "transport \"" + transportText + "\" is not one of auto, websocket, http");
        return null;
      }
    }
    List<String> overrides = new ArrayList<>(base.overrides());
    JsonNode c = node.get("config");
    if (c != null && !c.isNull()) {
      if (!c.isObject()) {
        problems.add(at + "\"config\" must be an object of key: value, as -c key=value takes them");
        return null;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        overrides.add(e.getKey() + "=" + TomlValue.of(e.getValue()));
      }
    }
    ConfigInput input = new ConfigInput(base.env(), base.home(), base.workingDirectory(),
        model != null ? Optional.of(model) : base.model(), base.profile(),
        provider != null ? Optional.of(provider) : base.provider(), transport, overrides, base.strict());
    Object resolved = configs.computeIfAbsent(input, i -> {
      try {
        RunConfig config = defaults.resolver().apply(i);
        if (!config.provider().embedded()) {
          config.provider().resolveApiKey(i.env()); // a missing key is a problem of this line, found before any work
        }
        return config;
      } catch (RunnerException e) {
        return e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")");
      }
    });
    if (resolved instanceof RunConfig config) {
      return config;
    }
    problems.add(at + resolved);
    return null;
  }
}
