package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxPolicyTest {
  private static final List<Path> HOMES = List.of(Path.of("/home/ci"), Path.of("/root"));

  @Test
  void defaultsAreHiddenUnderEveryHome() {
    List<Path> hidden = SandboxPolicy.DEFAULT.hidden(HOMES);

    assertThat(hidden).contains(Path.of("/home/ci/.ssh"), Path.of("/root/.ssh"), Path.of("/home/ci/.m2/settings.xml"))
        .hasSize(SandboxPolicy.DEFAULT_HIDDEN.size() * 2);
    // the caches a build needs stay readable
    assertThat(hidden).noneMatch(p -> p.endsWith(".m2") || p.endsWith(".m2/repository") || p.endsWith(".npm"));
  }

  @Test
  void hideAddsAndExposeRemovesSpelledEitherWay() {
    SandboxPolicy policy = new SandboxPolicy(List.of("/etc/corp", "~/.config/corp"),
        List.of("~/.npmrc", "/root/.ssh"));

    List<Path> hidden = policy.hidden(HOMES);

    assertThat(hidden).contains(Path.of("/etc/corp"), Path.of("/home/ci/.config/corp"), Path.of("/root/.config/corp"),
        Path.of("/home/ci/.ssh"));
    assertThat(hidden).doesNotContain(Path.of("/home/ci/.npmrc"), Path.of("/root/.npmrc"), Path.of("/root/.ssh"));
  }

  @Test
  void aRelativePathIsRefusedWithItsKey() {
    assertThatThrownBy(() -> new SandboxPolicy(List.of(), List.of(".ssh")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sandbox_paths.expose: '.ssh' must be an absolute path, ~ or ~/...");
  }
}
