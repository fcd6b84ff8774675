package dev.runner.cli;

import dev.runner.metrics.StartPoint;
import java.lang.management.ManagementFactory;

/**
 * The zero point of the start-up metric. The launcher script passes the moment it began as {@value #PROPERTY}
 * (bash's {@code $EPOCHREALTIME}, read without forking). Without it (the JVM started by {@code java -jar}), the JVM's
 * own start is used. Never the process's fork time from {@code /proc}: it survives {@code exec}, so a CI step such as
 * {@code sleep 1 && runner exec ...} or a build before the run would count as start-up.
 */
final class LaunchTime {
  /** System property the launcher sets: seconds since the epoch with a fraction, e.g. {@code 1733590000.123456}. */
  static final String PROPERTY = "runner.launchedAt";

  private LaunchTime() {}

  static StartPoint current() {
    return from(System.getProperty(PROPERTY));
  }

  /** The launcher's stamp when {@code stamp} is one, else the JVM's start. */
  static StartPoint from(String stamp) {
    long launcher = parse(stamp);
    return launcher > 0
        ? new StartPoint(launcher, StartPoint.LAUNCHER)
        : new StartPoint(ManagementFactory.getRuntimeMXBean().getStartTime(), StartPoint.JVM);
  }

  /**
   * Epoch milliseconds of {@code seconds.fraction} (bash prints the locale's decimal separator, so a comma is taken
   * too), or 0 when the text is missing or not such a number.
   */
  static long parse(String stamp) {
    if (stamp == null) {
      return 0;
    }
    int dot = Math.max(stamp.indexOf('.'), stamp.indexOf(','));
    String whole = dot < 0 ? stamp : stamp.substring(0, dot);
    String fraction = dot < 0 ? "" : stamp.substring(dot + 1);
    if (whole.isEmpty() || whole.length() > 12 || !digits(whole) || !digits(fraction)) {
      return 0;
    }
    String millis = (fraction + "000").substring(0, 3);
    return Long.parseLong(whole) * 1000 + Long.parseLong(millis);
  }

  private static boolean digits(String s) {
    return s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
