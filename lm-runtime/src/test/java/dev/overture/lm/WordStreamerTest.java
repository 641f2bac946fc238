package dev.overture.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordStreamerTest {
  private final List<String> words = new ArrayList<>();
  private final WordStreamer streamer = new WordStreamer(words::add);

  private void feed(String... pieces) {
    for (String p : pieces) {
      streamer.accept(p.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void emitsAWordOnlyWhenTheNextOneStarts() {
    feed("A", " ther", "em");
    assertEquals(Arrays.asList("A"), words);
    feed("in", " is");
    assertEquals(Arrays.asList("A", " theremin"), words);
    streamer.finish();
    assertEquals(Arrays.asList("A", " theremin", " is"), words);
  }

  @Test
  void punctuationStaysWithTheWordItTouches() {
    feed("Hello", ",", " world", "!", " (yes)", ".");
    streamer.finish();
    assertEquals(Arrays.asList("Hello,", " world!", " (yes)."), words);
  }

  @Test
  void concatenatedWordsGiveBackTheTextExactly() {
    String text = "  Two spaces,\nnew line\t and émojis 🎻 here ";
    int[] cps = text.codePoints().toArray();
    for (int i = 0; i < cps.length; i += 3) {
      feed(new String(cps, i, Math.min(3, cps.length - i)));
    }
    streamer.finish();
    assertEquals(text, String.join("", words));
  }

  @Test
  void aCharacterSplitAcrossTokensIsNeverGarbled() {
    byte[] violin = " 🎻 ok".getBytes(StandardCharsets.UTF_8);
    for (byte b : violin) {
      streamer.accept(new byte[] {b});
    }
    streamer.finish();
    assertEquals(Arrays.asList(" 🎻", " ok"), words);
    assertEquals(2, streamer.wordCount());
  }
}
