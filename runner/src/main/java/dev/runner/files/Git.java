package dev.runner.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code git} (batch workspaces, exec's --worktree and review), each call bounded; a non-zero exit is an {@link
 * IOException} with git's stderr, and stdout is returned apart from it.
 */
public final class Git {
  /** Worktree set-up and diffs of large repositories take seconds; a minute means something hangs. */
  public static final Duration LIMIT = Duration.ofSeconds(60);

  private final Map<String, String> env;

  /** @param env extra variables (e.g. {@code GIT_DIR}); git's own {@code GIT_*} from the process are dropped */
  public Git(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public byte[] run(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-c", "core.quotepath=off", "-c", "user.name=runner",
        "-c", "user.email=runner@localhost", "-c", "commit.gpgsign=false"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(
        ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("git " + String.join(" ", args) + " did not finish within " + LIMIT.toSeconds() + " s");
      }
      byte[] stdout = out.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      if (p.exitValue() != 0) {
        throw new IOException("git " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
            + new String(err.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8).strip());
      }
      return stdout;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while git " + args[0] + " ran", e);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IOException("git " + args[0] + ": its output could not be read: " + e.getMessage(), e);
    }
  }

  public String text(Path dir, String... args) throws IOException {
    return new String(run(dir, args), StandardCharsets.UTF_8).strip();
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        f.complete(b.toByteArray());
      } catch (IOException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }
}
