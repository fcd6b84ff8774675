package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One-shot faults per conversation: which request is a retry, which a new conversation, and what stays bounded. */
class FaultPlanTest {
  static FaultKind at(FaultPlan plan, String conversation, int turn, int items) {
    return plan.forTurn(turn, null, () -> conversation, items);
  }

  @Test
  void eachConversationMeetsAnAtNRuleOnceAndItsRetryGetsPast() {
    FaultPlan plan = FaultPlan.parse("http500@2", 1);
    assertThat(at(plan, "a", 1, 1)).isNull();
    assertThat(at(plan, "a", 2, 3)).isEqualTo(FaultKind.HTTP_500);
    assertThat(at(plan, "a", 2, 3)).as("the retry").isNull();
    assertThat(at(plan, "a", 3, 5)).isNull();
    // a second conversation (another key) meets it too, and so does its retry not
    assertThat(at(plan, "b", 2, 3)).isEqualTo(FaultKind.HTTP_500);
    assertThat(at(plan, "b", 2, 3)).isNull();
  }

  @Test
  void twoConversationsWithTheSameStartAreToldApartByOrder() {
    FaultPlan plan = FaultPlan.parse("http500@1", 1);
    assertThat(at(plan, "same", 1, 1)).isEqualTo(FaultKind.HTTP_500);
    assertThat(at(plan, "same", 1, 1)).as("the retry").isNull();
    // the same first request again after an attempt got through: a new conversation with the same prompt
    assertThat(at(plan, "same", 1, 1)).isEqualTo(FaultKind.HTTP_500);
    assertThat(at(plan, "same", 1, 1)).isNull();
  }

  @Test
  void aRepairTurnAtTheSameNumberIsNotFaultedAgain() {
    FaultPlan plan = FaultPlan.parse("incomplete@1", 1);
    assertThat(at(plan, "c", 1, 1)).isEqualTo(FaultKind.INCOMPLETE);
    assertThat(at(plan, "c", 1, 1)).isNull();
    // the answer failed its schema: the repair turn has no new tool output, so it is turn 1 again, with more items
    assertThat(at(plan, "c", 1, 3)).isNull();
  }

  @Test
  void rulesAtTheSameTurnFireOneAfterTheOtherThenTheTurnPasses() {
    FaultPlan plan = FaultPlan.parse("http500@1,reset@1", 1);
    assertThat(at(plan, "c", 1, 1)).isEqualTo(FaultKind.HTTP_500);
    assertThat(at(plan, "c", 1, 1)).isEqualTo(FaultKind.RESET);
    assertThat(at(plan, "c", 1, 1)).isNull();
  }

  @Test
  void aScenarioTurnsOwnFaultIsPerConversationToo() {
    FaultPlan plan = FaultPlan.parse("", 1);
    assertThat(plan.forTurn(1, "failed", () -> "a", 1)).isEqualTo(FaultKind.FAILED);
    assertThat(plan.forTurn(1, "failed", () -> "a", 1)).isNull();
    assertThat(plan.forTurn(1, "failed", () -> "b", 1)).isEqualTo(FaultKind.FAILED);
  }

  @Test
  void handshakeRulesStayPerServer() {
    FaultPlan plan = FaultPlan.parse("upgrade426@2", 1);
    assertThat(plan.forHandshake()).isNull();
    assertThat(plan.forHandshake()).isEqualTo(FaultKind.UPGRADE_426);
    assertThat(plan.forHandshake()).isNull();
    plan.reset();
    assertThat(plan.forHandshake()).isNull();
    assertThat(plan.forHandshake()).isEqualTo(FaultKind.UPGRADE_426);
  }

  @Test
  void theRememberedTurnsAreBounded() {
    FaultPlan plan = FaultPlan.parse("http429@1", 1);
    for (int i = 0; i < TurnFaults.CAPACITY + 500; i++) {
      assertThat(at(plan, "k" + i, 1, 1)).isEqualTo(FaultKind.HTTP_429);
    }
    assertThat(plan.rememberedTurns()).isEqualTo(TurnFaults.CAPACITY);
    // without one-shot rules nothing is remembered (and no key is computed)
    FaultPlan every = FaultPlan.parse("http429@*", 1);
    assertThat(every.forTurn(1, null, () -> {
      throw new AssertionError("key asked for");
    }, 1)).isEqualTo(FaultKind.HTTP_429);
    assertThat(every.rememberedTurns()).isZero();
  }

  @Test
  void theKeyIsThePromptCacheKeyElseTheStartOfTheConversation() throws Exception {
    JsonNode user = TestClient.userMessage("same prompt");
    ObjectNode call = Json.MAPPER.createObjectNode().put("type", "function_call").put("call_id", "call_1")
        .put("name", "shell").put("arguments", "{}");
    ObjectNode output = Json.MAPPER.createObjectNode().put("type", "function_call_output").put("call_id", "call_1")
        .put("output", "x");
    CreateRequest plain = request("{\"model\":\"m\",\"instructions\":\"be brief\",\"input\":[]}");
    String turn1 = ConversationKey.of(plain, List.of(user));
    assertThat(ConversationKey.of(plain, List.of(user))).isEqualTo(turn1);
    String turn2 = ConversationKey.of(plain, List.of(user, call, output));
    assertThat(turn2).isNotEqualTo(turn1);
    // a later turn keeps the key: what decides is the start and the first call id
    ObjectNode call2 = call.deepCopy().put("call_id", "call_2");
    assertThat(ConversationKey.of(plain, List.of(user, call, output, call2))).isEqualTo(turn2);
    assertThat(ConversationKey.of(plain, List.of(user, call2))).isNotEqualTo(turn2);
    CreateRequest other = request("{\"model\":\"m\",\"instructions\":\"be long\",\"input\":[]}");
    assertThat(ConversationKey.of(other, List.of(user))).isNotEqualTo(turn1);
    CreateRequest keyed = request("{\"model\":\"m\",\"prompt_cache_key\":\"conv-7\",\"input\":[]}");
    assertThat(ConversationKey.of(keyed, List.of(user))).isEqualTo("key:conv-7");
  }

  private static CreateRequest request(String json) throws Exception {
    return CreateRequest.parse(Json.MAPPER.readTree(json));
  }
}
