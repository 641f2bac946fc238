package dev.overture.lm.offload;

import java.util.Locale;

/**
 * How many experts stay resident, as an operator says it: a share of all experts ({@code 25%}), a
 * count per layer ({@code 2/layer}), a count overall ({@code 24}), or bytes overall ({@code 64MiB},
 * {@code 1.5GiB}). No tensor-name patterns: the same knob fits any MoE.
 */
public record ExpertBudget(Kind kind, double value) {

  public enum Kind { SHARE, PER_LAYER, TOTAL, BYTES }

  public ExpertBudget {
    if (!(value >= 0) || Double.isInfinite(value) || (kind == Kind.SHARE && value > 1)) {
      throw new IllegalArgumentException("an expert budget must be finite and non-negative (a share at most 100%), got " + value);
    }
  }

  /** Everything resident: no offloading. */
  public static ExpertBudget all() {
    return new ExpertBudget(Kind.SHARE, 1);
  }

  public static ExpertBudget parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    try {
      if (s.endsWith("%")) {
        return new ExpertBudget(Kind.SHARE, Double.parseDouble(s.substring(0, s.length() - 1)) / 100);
      }
      if (s.endsWith("/layer")) {
        return new ExpertBudget(Kind.PER_LAYER, Integer.parseInt(s.substring(0, s.length() - "/layer".length())));
      }
      for (String[] unit : new String[][] {{"gib", "1073741824"}, {"mib", "1048576"}, {"kib", "1024"}, {"b", "1"}}) {
        if (s.endsWith(unit[0])) {
          return new ExpertBudget(Kind.BYTES, Double.parseDouble(s.substring(0, s.length() - unit[0].length())) * Long.parseLong(unit[1]));
        }
      }
      return new ExpertBudget(Kind.TOTAL, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expert budget '" + spec + "' is none of 25%, 2/layer, 24, 64MiB", e);
    }
  }

  /**
   * The resident experts of each layer: the budget spread over the layers by {@code allocation},
   * each layer at most {@code expertsPerLayer}.
   */
  public int[] capacities(int layers, int expertsPerLayer, long expertBytes, LayerAllocation allocation) {
    double total = switch (kind) {
      case SHARE -> value * layers * expertsPerLayer;
      case PER_LAYER -> value * layers;
      case TOTAL -> value;
      case BYTES -> Math.floor(value / expertBytes);
    };
    return allocation.spread((int) Math.min(Math.round(total), (long) layers * expertsPerLayer), layers, expertsPerLayer);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SHARE -> String.format(Locale.ROOT, "%.1f%%", value * 100);
      case PER_LAYER -> (int) value + "/layer";
      case TOTAL -> String.valueOf((int) value);
      case BYTES -> String.format(Locale.ROOT, "%.1fMiB", value / 1048576);
    };
  }
}
