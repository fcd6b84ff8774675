package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Numbers for a schema's bounds ({@code minimum}, {@code maximum}, their exclusive forms) and {@code multipleOf}. */
final class Numbers {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Numbers() {}

  /** {@code preferred} moved into the inclusive integer bounds, ignoring multipleOf. */
  static long clamp(JsonNode s, long preferred) {
    long[] b = integerBounds(s);
    return Math.max(b[0], Math.min(b[1], preferred));
  }

  static JsonNode integer(JsonNode s, long preferred, String where) {
    long[] b = integerBounds(s);
    if (b[0] > b[1]) {
      throw new SchemaInstance.Unsatisfiable("minimum", where, "no integer lies between the bounds");
    }
    long v = Math.max(b[0], Math.min(b[1], preferred));
    if (!s.has("multipleOf")) {
      return F.numberNode(v);
    }
    BigDecimal m = s.get("multipleOf").decimalValue();
    BigDecimal lo = BigDecimal.valueOf(b[0]);
    BigDecimal hi = BigDecimal.valueOf(b[1]);
    // the first multiple of m at or above v that is an integer, else below
    BigDecimal k = BigDecimal.valueOf(v).divide(m, 0, RoundingMode.CEILING);
    for (int step = 0; step < 10_000; step++) {
      for (BigDecimal c : new BigDecimal[]{m.multiply(k.add(BigDecimal.valueOf(step))),
          m.multiply(k.subtract(BigDecimal.valueOf(step + 1)))}) {
        if (c.compareTo(lo) >= 0 && c.compareTo(hi) <= 0 && c.stripTrailingZeros().scale() <= 0) {
          return F.numberNode(c.longValueExact());
        }
      }
    }
    throw new SchemaInstance.Unsatisfiable("multipleOf", where, "no integer multiple of " + m + " lies between "
        + b[0] + " and " + b[1]);
  }

  static JsonNode number(JsonNode s, long preferred, String where) {
    BigDecimal lo = s.has("minimum") ? s.get("minimum").decimalValue() : null;
    BigDecimal hi = s.has("maximum") ? s.get("maximum").decimalValue() : null;
    BigDecimal xlo = s.has("exclusiveMinimum") && s.get("exclusiveMinimum").isNumber()
        ? s.get("exclusiveMinimum").decimalValue()
        : null;
    BigDecimal xhi = s.has("exclusiveMaximum") && s.get("exclusiveMaximum").isNumber()
        ? s.get("exclusiveMaximum").decimalValue()
        : null;
    BigDecimal v = BigDecimal.valueOf(preferred);
    if (s.has("multipleOf")) {
      BigDecimal m = s.get("multipleOf").decimalValue();
      BigDecimal target = v;
      for (BigDecimal low : new BigDecimal[]{lo, xlo}) {
        target = low != null ? target.max(low) : target;
      }
      for (BigDecimal high : new BigDecimal[]{hi, xhi}) {
        target = high != null ? target.min(high) : target;
      }
      // the multiple nearest the preferred value, searched outwards in both directions
      BigDecimal k = target.divide(m, 0, RoundingMode.HALF_UP);
      for (int step = 0; step < 10_000; step++) {
        for (BigDecimal c : new BigDecimal[]{m.multiply(k.add(BigDecimal.valueOf(step))),
            m.multiply(k.subtract(BigDecimal.valueOf(step)))}) {
          if (inside(c, lo, hi, xlo, xhi)) {
            return F.numberNode(c);
          }
        }
      }
      throw new SchemaInstance.Unsatisfiable("multipleOf", where, "no multiple of " + m + " lies between the bounds");
    }
    if (inside(v, lo, hi, xlo, xhi)) {
      return F.numberNode(v);
    }
    BigDecimal low = lo != null ? lo : xlo;
    BigDecimal high = hi != null ? hi : xhi;
    BigDecimal c = low != null && high != null
        ? low.add(high).divide(BigDecimal.valueOf(2))
        : low != null ? low.add(BigDecimal.ONE) : high.subtract(BigDecimal.ONE);
    if (low != null && v.compareTo(low) < 0 && inside(low, lo, hi, xlo, xhi)) {
      c = low;
    } else if (high != null && v.compareTo(high) > 0 && inside(high, lo, hi, xlo, xhi)) {
      c = high;
    }
    if (!inside(c, lo, hi, xlo, xhi)) {
      throw new SchemaInstance.Unsatisfiable("minimum", where, "no number lies between the bounds");
    }
    return F.numberNode(c);
  }

  private static boolean inside(BigDecimal v, BigDecimal lo, BigDecimal hi, BigDecimal xlo, BigDecimal xhi) {
    return (lo == null || v.compareTo(lo) >= 0) && (hi == null || v.compareTo(hi) <= 0)
        && (xlo == null || v.compareTo(xlo) > 0) && (xhi == null || v.compareTo(xhi) < 0);
  }

  private static long[] integerBounds(JsonNode s) {
    long lo = Long.MIN_VALUE / 2;
    long hi = Long.MAX_VALUE / 2;
    if (s.has("minimum")) {
      lo = Math.max(lo, (long) Math.ceil(s.get("minimum").asDouble()));
    }
    if (s.has("exclusiveMinimum") && s.get("exclusiveMinimum").isNumber()) {
      lo = Math.max(lo, (long) Math.floor(s.get("exclusiveMinimum").asDouble()) + 1);
    }
    if (s.has("maximum")) {
      hi = Math.min(hi, (long) Math.floor(s.get("maximum").asDouble()));
    }
    if (s.has("exclusiveMaximum") && s.get("exclusiveMaximum").isNumber()) {
      hi = Math.min(hi, (long) Math.ceil(s.get("exclusiveMaximum").asDouble()) - 1);
    }
    return new long[]{lo, hi};
  }
}
