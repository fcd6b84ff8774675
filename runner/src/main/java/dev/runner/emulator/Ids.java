package dev.runner.emulator;

import java.util.concurrent.atomic.AtomicLong;

/** Unique ids per server, shaped like the service's ({@code resp_}, {@code msg_}, {@code fc_}, {@code call_}). */
final class Ids {
  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  Ids(long seed) {
    // the start time keeps ids of two emulator runs apart, so a stale client id is never "found" by accident
    this.prefix = Long.toHexString(System.currentTimeMillis() ^ (seed * 0x9E3779B97F4A7C15L));
  }

  String next(String kind) {
    // as String.format("%08x"), which costs tens of microseconds a call in the emulator's C1 code
    String hex = Long.toHexString(counter.incrementAndGet());
    return kind + "_" + prefix + "00000000".substring(Math.min(8, hex.length())) + hex;
  }
}
