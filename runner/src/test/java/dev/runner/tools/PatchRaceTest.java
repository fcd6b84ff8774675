package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patches applied while other threads swap workspace entries for links to a directory outside, in a
 * tight loop, as a command started in the same or an earlier turn could. Whatever the interleaving,
 * nothing outside may be written or read into the workspace.
 */
class PatchRaceTest {
  /** Enough to land thousands of patches inside the swap window (see the counts asserted below). */
  private static final int PATCHES = 2000;

  @TempDir
  Path workspace;
  @TempDir
  Path outside;

  /** Swaps {@code entry} for a link to {@code target} and back until stopped. */
  private static final class Swapper implements Runnable {
    final Path entry;
    final Path parked;
    final Path target;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong swaps = new AtomicLong();

    Swapper(Path entry, Path target) {
      this.entry = entry;
      this.parked = entry.resolveSibling(entry.getFileName() + ".parked");
      this.target = target;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        try {
          Files.move(entry, parked);
          Files.createSymbolicLink(entry, target);
          swaps.incrementAndGet();
          Files.delete(entry);
          Files.move(parked, entry);
          // leave the real entry in place for a moment too, so that patches also get through
          Thread.yield();
        } catch (IOException e) {
          repair();
        }
      }
      repair();
    }

    /** A patch may have created {@code entry} while it was parked: drop that copy. */
    private void repair() {
      try {
        if (Files.exists(parked)) {
          if (Files.isSymbolicLink(entry) || Files.isRegularFile(entry)) {
            Files.delete(entry);
          } else if (Files.isDirectory(entry)) {
            deleteTree(entry);
          }
          Files.move(parked, entry);
        }
      } catch (IOException e) {
        // the next round tries again
      }
    }
  }

  @Test
  void swappingDirectoriesAndFilesForLinksOutsideNeverLetsAPatchOut() throws Exception {
    Files.createDirectories(workspace.resolve("d"));
    Files.writeString(workspace.resolve("d/log.txt"), "start\n");
    Files.writeString(workspace.resolve("top.txt"), "start\n");
    Files.writeString(outside.resolve("secret.txt"), "SECRET\n");
    Swapper directory = new Swapper(workspace.resolve("d"), outside);
    Swapper file = new Swapper(workspace.resolve("top.txt"), outside.resolve("secret.txt"));
    ApplyPatchTool tool = new ApplyPatchTool();
    ToolContext context = Contexts.of(workspace, SandboxMode.WORKSPACE_WRITE);
    List<String> failures = new ArrayList<>();
    int applied = 0;
    Thread one = Thread.ofPlatform().start(directory);
    Thread two = Thread.ofPlatform().start(file);
    try {
      for (int i = 0; i < PATCHES; i++) {
        // alternately through the swapped directory and onto the swapped file
        String patch = i % 2 == 0
            ? "*** Begin Patch\n*** Update File: d/log.txt\n@@\n+line " + i + "\n*** Add File: d/sub"
                + (i % 7) + "/new.txt\n+" + i + "\n*** End Patch"
            : "*** Begin Patch\n*** Update File: top.txt\n@@\n+line " + i + "\n*** End Patch";
        String json = JsonNodeFactory.instance.objectNode().put("input", patch).toString();
        ToolResult result = tool.run(Contexts.call("apply_patch", json), context);
        if (result.success()) {
          applied++;
        } else {
          failures.add(result.output());
        }
        assertThat(result.output()).doesNotContain("SECRET");
      }
    } finally {
      directory.stop.set(true);
      file.stop.set(true);
      one.join(10_000);
      two.join(10_000);
      context.close();
    }

    try (Stream<Path> walk = Files.walk(outside)) {
      assertThat(walk.map(p -> outside.relativize(p).toString())).containsExactlyInAnyOrder("", "secret.txt");
    }
    assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("SECRET\n");
    try (Stream<Path> walk = Files.walk(workspace)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(p)).as(p.toString()).doesNotContain("SECRET");
      }
    }
    // the race was run, not dodged: both swappers swapped, patches both landed and were turned away
    long atWrite = failures.stream().filter(f -> f.startsWith("writing '")).count();
    System.out.printf(
        "patch race: %d patches, %d applied, %d refused (%d on a link when checked, %d when written),"
            + " swaps %d + %d%n",
        PATCHES, applied, failures.size(),
        failures.stream().filter(f -> f.contains("leads outside")).count(), atWrite,
        directory.swaps.get(), file.swaps.get());
    failures.stream().filter(f -> f.startsWith("writing '")).limit(3).forEach(System.out::println);
    failures.stream().filter(f -> !f.startsWith("writing '") && !f.contains("leads outside")).limit(3)
        .forEach(System.out::println);
    assertThat(directory.swaps.get()).isPositive();
    assertThat(file.swaps.get()).isPositive();
    assertThat(applied).isPositive();
    assertThat(failures).anyMatch(f -> f.contains("symbolic link"));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
