package dev.overture.cloud.embedded;

import dev.overture.lm.Utf8Assembler;
import java.util.List;

/**
 * Maps token log-probabilities onto the opener's words by character offsets: the scored tokens'
 * text must end with the opener (the tokens before it, such as the assistant header, score
 * nothing); a token counts for every word whose characters it touches, leading separator
 * included, and a word's score is the mean over its tokens.
 */
final class OpenerAlignment {

  private OpenerAlignment() {}

  /**
   * Per-word mean log-probabilities, or null when the tokens' text does not end with the opener
   * (the tokenizer normalized it), so that the words cannot be placed.
   *
   * @param tokenBytes each scored token's bytes, in order
   * @param logProbabilities each scored token's log-probability
   * @param words the opener's words, each with its leading separator
   */
  static float[] wordMeans(byte[][] tokenBytes, float[] logProbabilities, List<String> words) {
    Utf8Assembler utf8 = new Utf8Assembler();
    StringBuilder text = new StringBuilder();
    int[] tokenEnd = new int[tokenBytes.length];
    for (int i = 0; i < tokenBytes.length; i++) {
      text.append(utf8.append(tokenBytes[i]));
      tokenEnd[i] = text.length();
    }
    text.append(utf8.flush());
    String opener = String.join("", words);
    if (text.length() < opener.length()
        || !text.substring(text.length() - opener.length()).equals(opener)) {
      return null;
    }
    int base = text.length() - opener.length();
    int[] wordStart = new int[words.size()];
    int[] wordEnd = new int[words.size()];
    for (int w = 0, at = 0; w < words.size(); w++) {
      wordStart[w] = at;
      at += words.get(w).length();
      wordEnd[w] = at;
    }
    double[] sums = new double[words.size()];
    int[] counts = new int[words.size()];
    for (int i = 0; i < tokenBytes.length; i++) {
      int start = (i == 0 ? 0 : tokenEnd[i - 1]) - base;
      // A token that completes no character (the start of a split one) belongs where that character is.
      int end = Math.max(tokenEnd[i] - base, start + 1);
      for (int w = 0; w < words.size(); w++) {
        if (start < wordEnd[w] && end > wordStart[w]) {
          sums[w] += logProbabilities[i];
          counts[w]++;
        }
      }
    }
    float[] means = new float[words.size()];
    for (int w = 0; w < means.length; w++) {
      means[w] = counts[w] == 0 ? 0f : (float) (sums[w] / counts[w]);
    }
    return means;
  }
}
