package dev.runner.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * When this process was started (forked by its parent, so the launcher script's time counts too), for the start-up
 * metric. {@link ProcessHandle.Info#startInstant()} is only precise to about a second on Linux, since it adds the
 * process's start tick to the boot time, which the kernel gives in whole seconds; measured back from {@code
 * /proc/uptime} instead it is precise to the 10 ms of a clock tick.
 */
final class ProcessStart {
  /** Linux reports process times in USER_HZ, 100 on every architecture it runs on in practice. */
  private static final long MILLIS_PER_TICK = 10;

  private ProcessStart() {}

  /** Epoch milliseconds of the process start, or 0 when it cannot be told. */
  static long epochMillis() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
      // the command name may contain spaces and parentheses: the fields after it start 2 characters past its last ')'
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long startTicks = Long.parseLong(fields[19]); // field 22, starttime, in ticks since boot
      String uptime = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII);
      double uptimeSeconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
      return System.currentTimeMillis() - Math.round(uptimeSeconds * 1000) + startTicks * MILLIS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
  }
}
