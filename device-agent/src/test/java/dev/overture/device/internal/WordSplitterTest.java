package dev.overture.device.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class WordSplitterTest {

  private final List<String> pieces = new ArrayList<>();
  private final WordSplitter splitter = new WordSplitter(pieces::add);

  @Test
  void pieceIsReleasedOnceTheSeparatorAfterItArrives() {
    splitter.accept(" music");
    assertEquals(List.of(), pieces);

    splitter.accept(" is");
    assertEquals(List.of(" music"), pieces);
  }

  @Test
  void finishReleasesTheLastPiece() {
    splitter.accept(" music.");
    splitter.finish();

    assertEquals(List.of(" music."), pieces);
  }

  @Test
  void wordSplitAcrossDeltasIsOnePiece() {
    splitter.accept(" instru");
    splitter.accept("ment is");
    splitter.finish();

    assertEquals(List.of(" instrument", " is"), pieces);
  }

  @Test
  void leadingPunctuationIsAPieceWithoutSeparator() {
    splitter.accept(", especially");
    splitter.finish();

    assertEquals(List.of(",", " especially"), pieces);
  }

  @Test
  void piecesKeepEveryLeadingSeparator() {
    splitter.accept(" one\n\nTwo\t three");
    splitter.finish();

    assertEquals(List.of(" one", "\n\nTwo", "\t three"), pieces);
  }

  @Test
  void noBreakSpaceDoesNotSeparateWords() {
    splitter.accept(" 10\u00a0km away");
    splitter.finish();

    assertEquals(List.of(" 10\u00a0km", " away"), pieces);
  }

  @Test
  void trailingSeparatorsAreDropped() {
    splitter.accept(" end. ");
    splitter.finish();

    assertEquals(List.of(" end."), pieces);
  }

  @Test
  void piecesConcatenateToTheText() {
    String text = "Sure, I love it.\nThen:  more";
    for (int i = 0; i < text.length(); i += 3) {
      splitter.accept(text.substring(i, Math.min(text.length(), i + 3)));
    }
    splitter.finish();

    assertEquals(text, String.join("", pieces));
  }
}
