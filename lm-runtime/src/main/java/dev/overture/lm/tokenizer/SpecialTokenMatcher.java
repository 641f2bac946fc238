package dev.overture.lm.tokenizer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the exact texts of a set of tokens in a string, scanning left to right and taking the
 * longest token that starts at each position (leftmost-longest, as Hugging Face's added-token
 * matching does; llama.cpp differs only where two such texts overlap).
 */
final class SpecialTokenMatcher {
  /** Receives the pieces of a split text in order. */
  interface Sink {
    void text(int start, int end);

    void token(int id);
  }

  private final String[] texts;
  private final BitSet firstChars = new BitSet(1 << 16);
  /** Candidate ids by first char, longest text first. */
  private final Map<Character, int[]> byFirstChar = new HashMap<>();

  SpecialTokenMatcher(String[] texts, List<Integer> ids) {
    this.texts = texts;
    Map<Character, List<Integer>> groups = new HashMap<>();
    for (int id : ids) {
      char first = texts[id].charAt(0);
      groups.computeIfAbsent(first, c -> new ArrayList<>()).add(id);
      firstChars.set(first);
    }
    for (Map.Entry<Character, List<Integer>> e : groups.entrySet()) {
      List<Integer> group = e.getValue();
      group.sort((a, b) -> texts[b].length() != texts[a].length() ? texts[b].length() - texts[a].length() : a - b);
      int[] sorted = new int[group.size()];
      for (int i = 0; i < sorted.length; i++) {
        sorted[i] = group.get(i);
      }
      byFirstChar.put(e.getKey(), sorted);
    }
  }

  boolean isEmpty() {
    return byFirstChar.isEmpty();
  }

  void split(String text, Sink sink) {
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int match = -1;
      if (firstChars.get(c)) {
        for (int id : byFirstChar.get(c)) {
          if (text.startsWith(texts[id], i)) {
            match = id;
            break;
          }
        }
      }
      if (match < 0) {
        i++;
        continue;
      }
      if (i > start) {
        sink.text(start, i);
      }
      sink.token(match);
      i += texts[match].length();
      start = i;
    }
    if (start < text.length()) {
      sink.text(start, text.length());
    }
  }
}
