package dev.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.runner.ExitCode;
import dev.runner.RunnerException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverridesTest {
  private final TomlMapper toml = new TomlMapper();

  private JsonNode value(String override) {
    return Overrides.parseOne(override, toml).value();
  }

  @Test
  void valuesAreParsedAsToml() {
    assertThat(value("x=true").isBoolean()).isTrue();
    assertThat(value("x = 42").asLong()).isEqualTo(42);
    assertThat(value("x=42").isIntegralNumber()).isTrue();
    assertThat(value("x=\"quoted\"").asText()).isEqualTo("quoted");
    assertThat(value("x=[1, 2, 3]").size()).isEqualTo(3);
    JsonNode table = value("x={a=\"b\", c=1}");
    assertThat(table.get("a").asText()).isEqualTo("b");
    assertThat(table.get("c").asInt()).isEqualTo(1);
  }

  @Test
  void unparseableValuesAreTakenAsStrings() {
    assertThat(value("model=gpt-5").isTextual()).isTrue();
    assertThat(value("model=gpt-5").asText()).isEqualTo("gpt-5");
    assertThat(value("x=").asText()).isEmpty();
    assertThat(value("x={broken").asText()).isEqualTo("{broken");
    // a second key must not sneak in through a newline
    assertThat(value("x=1\ny = 2").asText()).isEqualTo("1\ny = 2");
  }

  @Test
  void dottedKeysReachIntoTablesAndLaterOverridesWin() {
    ObjectNode root = Overrides.parse(List.of(
        "model_providers.x.supports_websockets=true",
        "model_providers.x.http_headers={a=\"b\"}",
        " model = gpt-5 ",
        "model=o3"), toml);
    assertThat(root.at("/model_providers/x/supports_websockets").asBoolean()).isTrue();
    assertThat(root.at("/model_providers/x/http_headers/a").asText()).isEqualTo("b");
    assertThat(root.get("model").asText()).isEqualTo("o3");
    assertThat(Overrides.parseOne("a . b=1", toml).key()).containsExactly("a", "b");
  }

  @Test
  void missingEqualsIsAUsageErrorNamingTheOverride() {
    assertThatThrownBy(() -> Overrides.parseOne("model", toml))
        .isInstanceOfSatisfying(RunnerException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining("-c 'model'")
        .hasMessageContaining("no '='");
  }

  @Test
  void emptyKeysAreUsageErrors() {
    assertThatThrownBy(() -> Overrides.parseOne("=gpt-5", toml))
        .hasMessageContaining("-c '=gpt-5' has an empty key");
    assertThatThrownBy(() -> Overrides.parseOne("a..b=1", toml))
        .hasMessageContaining("-c 'a..b=1' has an empty part");
  }
}
