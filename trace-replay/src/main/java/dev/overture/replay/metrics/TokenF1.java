package dev.overture.replay.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answer quality as token F1 against a reference, normalized as SQuAD does and exactly as
 * training/evaluate.py does (lower case, runs of [a-z0-9], the articles a/an/the dropped), so that
 * replayed answers compare with the model evaluation's numbers.
 */
public final class TokenF1 {

  private static final Pattern WORD = Pattern.compile("[a-z0-9]+");

  private TokenF1() {}

  public static double of(String answer, String gold) {
    Map<String, Integer> a = counts(answer);
    Map<String, Integer> g = counts(gold);
    int common = 0;
    for (Map.Entry<String, Integer> e : a.entrySet()) {
      common += Math.min(e.getValue(), g.getOrDefault(e.getKey(), 0));
    }
    if (common == 0) {
      return 0;
    }
    double precision = (double) common / total(a);
    double recall = (double) common / total(g);
    return 2 * precision * recall / (precision + recall);
  }

  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String w = m.group();
      if (!w.equals("a") && !w.equals("an") && !w.equals("the")) {
        words.add(w);
      }
    }
    return words;
  }

  private static Map<String, Integer> counts(String text) {
    Map<String, Integer> counts = new HashMap<>();
    for (String w : words(text)) {
      counts.merge(w, 1, Integer::sum);
    }
    return counts;
  }

  private static int total(Map<String, Integer> counts) {
    int n = 0;
    for (int c : counts.values()) {
      n += c;
    }
    return n;
  }
}
