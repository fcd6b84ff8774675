package dev.runner.batch;

import dev.runner.RunnerException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * One of {@code count} disjoint parts of a task list. A task belongs to shard {@code index} (0-based, like
 * Kubernetes' {@code JOB_COMPLETION_INDEX}) when the first 8 bytes of the SHA-256 of its id, read as an unsigned
 * number, leave remainder {@code index} modulo {@code count}. The choice depends on the id alone, so adding or removing
 * a task moves no other task, and every machine computes the same split.
 */
public record Shard(int index, int count) {
  /** The whole list. */
  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard " + index + "/" + count + " needs 0 <= I < N");
    }
  }

  /** Parses {@code I/N}. */
  public static Shard parse(String text) {
    String[] parts = text.trim().split("/", -1);
    try {
      if (parts.length == 2) {
        int i = Integer.parseInt(parts[0].trim());
        int n = Integer.parseInt(parts[1].trim());
        if (n >= 1 && i >= 0 && i < n) {
          return new Shard(i, n);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RunnerException.usage("--shard '" + text + "' is not I/N with 0 <= I < N",
        "shards are 0-based: --shard 0/4 ... --shard 3/4");
  }

  /**
   * {@code --shard} when given, else {@code JOB_COMPLETION_INDEX}/{@code JOB_COMPLETIONS} when the index is set
   * (Kubernetes sets only the index; the manifest passes the count), else {@link #ALL}.
   */
  public static Shard choose(String option, Map<String, String> env) {
    if (option != null) {
      return parse(option);
    }
    String index = env.get("JOB_COMPLETION_INDEX");
    if (index == null || index.isBlank()) {
      return ALL;
    }
    String count = env.get("JOB_COMPLETIONS");
    if (count == null || count.isBlank()) {
      throw RunnerException.usage("JOB_COMPLETION_INDEX=" + index + " is set but JOB_COMPLETIONS is not",
          "set JOB_COMPLETIONS to the Job's .spec.completions in the pod's env, or pass --shard I/N");
    }
    return parse(index.trim() + "/" + count.trim());
  }

  public boolean selects(String id) {
    return count == 1 || Long.remainderUnsigned(hash(id), count) == index;
  }

  static long hash(String id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
