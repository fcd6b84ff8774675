package dev.runner.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Kills a process with everything it started. The command host starts in its own session (through
 * {@code setsid}), so a grandchild that its parent left behind, and that was re-parented to init, is
 * still found by its session id in {@code /proc}; live descendants are found through {@link
 * ProcessHandle#descendants()}. Linux only, as is the sandbox.
 */
final class ProcessTree {
  private static final int MAX_ROUNDS = 50;
  private static final long ROUND_PAUSE_NANOS = 2_000_000;

  private ProcessTree() {}

  /**
   * Sends SIGKILL to {@code root}, its descendants and every process in its session until none is
   * left or {@value #MAX_ROUNDS} rounds have passed; repeated because a process may fork between
   * listing and killing. Never touches the runner's own session.
   */
  static void kill(ProcessHandle root) {
    kill(root, sessionOf(root.pid()));
  }

  /**
   * Like {@link #kill(ProcessHandle)} with the session given, for a root that may have died
   * already (its session can no longer be read then); -1 for none.
   */
  static void kill(ProcessHandle root, long session) {
    long ownSession = sessionOf(ProcessHandle.current().pid());
    boolean ownSessionOfRoot = session == ownSession || session <= 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Set<Long> targets = new LinkedHashSet<>();
      if (root.isAlive()) {
        targets.add(root.pid());
      }
      root.descendants().forEach(p -> targets.add(p.pid()));
      if (!ownSessionOfRoot) {
        targets.addAll(membersOf(session));
      }
      targets.removeIf(pid -> !isRunning(pid));
      if (targets.isEmpty()) {
        return;
      }
      for (long pid : targets) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      // a short bounded pause so the kernel can deliver the signals before the next listing
      LockSupport.parkNanos(ROUND_PAUSE_NANOS);
    }
  }

  /** Kills every member of {@code session} (whose leader is gone) until none is left or the rounds run out. */
  static void killSession(long session) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Set<Long> targets = new LinkedHashSet<>(membersOf(session));
      targets.removeIf(pid -> !isRunning(pid));
      if (targets.isEmpty()) {
        return;
      }
      for (long pid : targets) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      LockSupport.parkNanos(ROUND_PAUSE_NANOS);
    }
  }

  /** The running members of {@code session}. */
  static Set<Long> sessionMembers(long session) {
    Set<Long> members = new LinkedHashSet<>(membersOf(session));
    members.removeIf(pid -> !isRunning(pid));
    return members;
  }

  /** True while {@code pid} exists and is not a zombie waiting to be reaped. */
  static boolean isRunning(long pid) {
    String stat = readStat(pid);
    if (stat == null) {
      return false;
    }
    char state = fieldsAfterName(stat)[0].charAt(0);
    return state != 'Z' && state != 'X';
  }

  /** The session id of {@code pid}, or -1 when it cannot be read. */
  static long sessionOf(long pid) {
    String stat = readStat(pid);
    if (stat == null) {
      return -1;
    }
    // after the name: state ppid pgrp session
    return Long.parseLong(fieldsAfterName(stat)[3]);
  }

  private static Set<Long> membersOf(long session) {
    Set<Long> members = new LinkedHashSet<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path entry : proc) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (sessionOf(pid) == session) {
          members.add(pid);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // /proc unreadable: the descendant walk still kills the live tree
    }
    return members;
  }

  private static String readStat(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The command name may contain spaces and parentheses, so split after its last ')'. */
  private static String[] fieldsAfterName(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }
}
