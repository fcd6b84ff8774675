package dev.runner.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.RunnerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {
  static final String PINNED = "600153c1dc756d80";
  static final List<String> IDS = IntStream.range(0, 1000).mapToObj(i -> "task-" + i).toList();

  @Test
  void everyIdIsInExactlyOneShardAndTheShardsAreNearEven() {
    int[] sizes = new int[4];
    for (String id : IDS) {
      List<Integer> in = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        if (new Shard(i, 4).selects(id)) {
          in.add(i);
        }
      }
      assertThat(in).as(id).hasSize(1);
      sizes[in.get(0)]++;
    }
    assertThat(java.util.Arrays.stream(sizes).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(200, 300));
  }

  @Test
  void theChoiceDependsOnTheIdAlone() {
    // pinned: another JVM, or a later version, must split the same way (printf task-0 | sha256sum | cut -c1-16)
    assertThat(Long.toUnsignedString(Shard.hash("task-0"), 16)).isEqualTo(PINNED);
    long selectedBy3 = IDS.stream().filter(new Shard(1, 3)::selects).count();
    List<String> more = new ArrayList<>(IDS);
    more.add("added-later");
    assertThat(more.stream().filter(id -> !id.equals("added-later")).filter(new Shard(1, 3)::selects).count())
        .isEqualTo(selectedBy3);
  }

  @Test
  void parsesZeroBasedAndReadsTheKubernetesVariables() {
    assertThat(Shard.parse("0/4")).isEqualTo(new Shard(0, 4));
    assertThat(Shard.parse(" 3 / 4 ")).isEqualTo(new Shard(3, 4));
    assertThatThrownBy(() -> Shard.parse("4/4")).isInstanceOf(RunnerException.class).hasMessageContaining("0 <= I");
    assertThatThrownBy(() -> Shard.parse("1")).isInstanceOf(RunnerException.class);
    assertThat(Shard.choose(null, Map.of())).isEqualTo(Shard.ALL);
    assertThat(Shard.choose(null, Map.of("JOB_COMPLETION_INDEX", "2", "JOB_COMPLETIONS", "5")))
        .isEqualTo(new Shard(2, 5));
    assertThat(Shard.choose("1/2", Map.of("JOB_COMPLETION_INDEX", "2", "JOB_COMPLETIONS", "5")))
        .isEqualTo(new Shard(1, 2));
    assertThatThrownBy(() -> Shard.choose(null, Map.of("JOB_COMPLETION_INDEX", "2")))
        .hasMessageContaining("JOB_COMPLETIONS");
  }
}
