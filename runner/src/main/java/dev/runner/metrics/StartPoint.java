package dev.runner.metrics;

/**
 * Where the start-up figure starts counting.
 *
 * @param epochMillis the moment, epoch milliseconds
 * @param origin {@code launcher} when the launcher script stamped its own start (so the JVM's creation counts), or
 *     {@code jvm} when the JVM was started directly ({@code java -jar}) and its own start is the best there is
 */
public record StartPoint(long epochMillis, String origin) {
  public static final String LAUNCHER = "launcher";
  public static final String JVM = "jvm";

  public StartPoint {
    if (!origin.equals(LAUNCHER) && !origin.equals(JVM)) {
      throw new IllegalArgumentException("start point origin must be launcher or jvm: " + origin);
    }
  }
}
