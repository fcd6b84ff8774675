package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.runner.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario files, the schema-instance generator and the fault grammar, without sockets. */
class ScriptedModelTest {
  private static final Path SCENARIO_SCHEMA = Path.of("..", "schemas", "scenario.schema.json");

  @Test
  void generatedInstancesConformToTypicalStrictSchemas() throws Exception {
    JsonNode schema = Json.MAPPER.readTree("""
        {"type":"object","required":["files","count","kind","maybe","nested","tags","ratio"],
         "$defs":{"n":{"type":"object","required":["name"],"properties":{"name":{"type":"string","maxLength":5}}}},
         "properties":{
           "files":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2},
           "count":{"type":"integer","minimum":0,"maximum":100},
           "kind":{"type":"string","enum":["a","b"]},
           "maybe":{"anyOf":[{"type":"null"},{"type":"string","minLength":2}]},
           "nested":{"$ref":"#/$defs/n"},
           "tags":{"type":"array","minItems":3,"items":{"type":"object","properties":{"x":{"type":"boolean"}}}},
           "ratio":{"type":"number","exclusiveMinimum":0}}}
        """);
    JsonNode instance = new SchemaInstance(schema, List.of("README.md\npom.xml\nsrc\n", "42\n"), "summarize")
        .build();
    assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema).validate(
        instance)).isEmpty();
    assertThat(instance.path("files").get(0).asText()).isEqualTo("README.md");
    assertThat(instance.path("count").asInt()).isEqualTo(42);
    assertThat(instance.path("tags")).hasSize(3);
  }

  @Test
  void scenarioFileWithTemplatesPlaysTurnsByToolOutputCount(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("s.json");
    Files.writeString(file, """
        {"name":"t","turns":[
          {"text":"checking","shell":"date"},
          {"patch":"*** Begin Patch\\n*** End Patch"},
          {"final":{"when":"{{output.1}}","n":"{{turn}}"}}]}
        """);
    assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(Json.MAPPER
        .readTree(SCENARIO_SCHEMA.toFile())).validate(Json.MAPPER.readTree(file.toFile()))).isEmpty();
    ScriptedModel model = new ScriptedModel(ScenarioLoader.load(file.toString()), new Ids(1));
    JsonNode codexTools = Json.MAPPER.readTree("[{\"type\":\"function\",\"name\":\"exec_command\"}]");
    var first = (ScriptedModel.Reply.Output) model.answer(conversation(), codexTools, null);
    assertThat(first.items()).hasSize(2);
    var call = (OutputItem.FunctionCall) first.items().get(1);
    assertThat(call.name()).isEqualTo("exec_command");
    assertThat(Json.MAPPER.readTree(call.arguments()).path("cmd").asText()).isEqualTo("date");
    var second = (ScriptedModel.Reply.Output) model.answer(conversation("Tue"), codexTools, null);
    assertThat(second.items().get(0)).isInstanceOf(OutputItem.CustomCall.class);
    var last = (ScriptedModel.Reply.Output) model.answer(conversation("Tue", "patched"), codexTools, null);
    assertThat(((OutputItem.Message) last.items().get(0)).text()).isEqualTo("{\"when\":\"Tue\",\"n\":\"2\"}");
  }

  @Test
  void finalThatCannotFitTheOutputSchemaIsRejectedAtLoadAndAtRequest(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, """
        {"output_schema":{"type":"object","required":["n"]},"turns":[{"final":"plain words"}]}
        """);
    assertThatThrownBy(() -> ScenarioLoader.load(file.toString())).hasMessageContaining("turns[0]")
        .hasMessageContaining("output_schema");
    ScriptedModel echo = new ScriptedModel(ScenarioLoader.load("echo"), new Ids(1));
    JsonNode format = Json.MAPPER.readTree("{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}");
    assertThat(echo.answer(conversation(), null, format)).isInstanceOf(ScriptedModel.Reply.Unanswerable.class);
  }

  @Test
  void faultGrammarFiresTurnRulesOncePerConversationAndProbabilitiesBySeed() {
    FaultPlan plan = FaultPlan.parse("reset@2, http429@*", 7);
    assertThat(plan.forTurn(1, null, () -> "c", 1)).isEqualTo(FaultKind.HTTP_429);
    assertThat(plan.forTurn(2, null, () -> "c", 3)).isEqualTo(FaultKind.RESET);
    assertThat(plan.forTurn(2, null, () -> "c", 3)).isEqualTo(FaultKind.HTTP_429);
    plan.reset();
    assertThat(plan.forTurn(2, null, () -> "c", 3)).isEqualTo(FaultKind.RESET);
    FaultPlan a = FaultPlan.parse("p=0.5:http500", 42);
    FaultPlan b = FaultPlan.parse("p=0.5:http500", 42);
    for (int i = 1; i < 20; i++) {
      assertThat(a.forTurn(i, null, () -> "c", i)).isEqualTo(b.forTurn(i, null, () -> "c", i));
    }
    assertThat(FaultPlan.parse("upgrade404@1", 1).forHandshake()).isEqualTo(FaultKind.UPGRADE_404);
    assertThatThrownBy(() -> FaultPlan.parse("p=2:reset", 1)).hasMessageContaining("p=2:reset");
    assertThatThrownBy(() -> FaultPlan.parse("reset@0", 1)).hasMessageContaining("reset@0");
  }

  private static Conversation conversation(String... outputs) {
    List<JsonNode> items = new java.util.ArrayList<>();
    items.add(TestClient.userMessage("what day is it"));
    for (String o : outputs) {
      items.add(Json.MAPPER.createObjectNode().put("type", "function_call_output").put("call_id", "c").put("output",
          o));
    }
    return new Conversation(items, 100);
  }
}
