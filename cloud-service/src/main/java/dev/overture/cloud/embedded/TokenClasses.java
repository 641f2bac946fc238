package dev.overture.cloud.embedded;

import dev.overture.cloud.engine.SeamlessJoin;
import dev.overture.lm.tokenizer.Tokenizer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What the engine needs to know about each token of a vocabulary, computed once per model:
 * whether it ends generation, and whether it would glue onto a preceding word.
 */
final class TokenClasses {

  private final boolean[] stop;
  private final boolean[] gluesOn;

  private TokenClasses(boolean[] stop, boolean[] gluesOn) {
    this.stop = stop;
    this.gluesOn = gluesOn;
  }

  static TokenClasses of(Tokenizer tokenizer) {
    int n = tokenizer.vocabSize();
    boolean[] stop = new boolean[n];
    boolean[] gluesOn = new boolean[n];
    for (int t = 0; t < n; t++) {
      // Control tokens stand for no text; emitting "<|im_start|>" as reply text would be worse than stopping.
      stop[t] = tokenizer.isSpecial(t);
      gluesOn[t] = !stop[t] && startsWithWordCharacter(tokenizer.tokenBytes(t));
    }
    for (int t : tokenizer.endOfGeneration()) {
      if (t >= 0 && t < n) {
        stop[t] = true;
      }
    }
    return new TokenClasses(stop, gluesOn);
  }

  /** Whether generating {@code token} ends the reply. */
  boolean stops(int token) {
    return stop[token];
  }

  /**
   * Whether {@code token}'s text starts with a letter or digit, so that right after a word it would
   * extend that word. A token that starts inside an unfinished multi-byte character counts as
   * gluing: its first character is unknown.
   */
  boolean gluesOn(int token) {
    return gluesOn[token];
  }

  /** Sets the logits of every gluing token to minus infinity, so none can be sampled. */
  void maskGluing(float[] logits) {
    for (int t = 0; t < gluesOn.length; t++) {
      if (gluesOn[t]) {
        logits[t] = Float.NEGATIVE_INFINITY;
      }
    }
  }

  private static boolean startsWithWordCharacter(byte[] bytes) {
    if (bytes.length == 0) {
      return false;
    }
    int lead = bytes[0] & 0xff;
    if (lead < 0x80) {
      return SeamlessJoin.gluesOn(lead);
    }
    int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (length > bytes.length || length == 1) {
      return true;
    }
    try {
      String first =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, 0, length))
              .toString();
      return SeamlessJoin.gluesOn(first.codePointAt(0));
    } catch (CharacterCodingException e) {
      return true;
    }
  }
}
