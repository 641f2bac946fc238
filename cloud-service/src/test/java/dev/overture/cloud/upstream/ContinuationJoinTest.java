package dev.overture.cloud.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContinuationJoinTest {

  /** Feeds {@code pieces} one by one and returns everything emitted, accept calls and finish. */
  private static String join(String prefix, String... pieces) {
    ContinuationJoin join = new ContinuationJoin(prefix);
    StringBuilder out = new StringBuilder();
    for (String piece : pieces) {
      out.append(join.accept(piece));
    }
    return out.append(join.finish()).toString();
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' + ''{1}'' -> ''{2}''")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    // A well-behaved continuation passes unchanged.
    "Sure, I love electronic | \" music, especially ambient.\" | \" music, especially ambient.\"",
    // Punctuation attaches to the last word.
    "Brian Eno | \", mostly his ambient records.\" | \", mostly his ambient records.\"",
    "Sure | \"!\" | \"!\"",
    "It | 's fine. | 's fine.",
    // A bare word after a complete word gets its space.
    "Sure, I love electronic | \"music.\" | \" music.\"",
    // The last word restarted without a space is dropped.
    "Sure, I love electronic | \"electronic music.\" | \" music.\"",
    "Brian Eno, | \"Eno, mostly.\" | \" mostly.\"",
    "Sure, I love electronic | \"electronic, especially.\" | \", especially.\"",
    // A word that merely starts like the last word is not a restart.
    "I love a | \"album.\" | \" album.\"",
    "I love electronic | \"electronica.\" | \" electronica.\"",
    // A repeat after a space is kept.
    "I know that | \" that is true.\" | \" that is true.\"",
    // A restated prefix (a server that ignored the prefill) is dropped, spaced or not.
    "Sure, I love electronic | \"Sure, I love electronic music.\" | \" music.\"",
    "Sure, I love electronic | \" Sure, I love electronic music.\" | \" music.\"",
    // An empty prefix: the reply starts at its first word.
    "\"\" | \"  Hello there.\" | \"Hello there.\"",
    // A prefix ending in a space: no double space.
    "\"Sure, \" | \" music.\" | \"music.\"",
    // Scripts written without spaces get none.
    "我喜欢 | 音乐。 | 音乐。",
  })
  void joinsWholeText(String prefix, String upstream, String expected) {
    assertThat(join(prefix, upstream)).isEqualTo(expected);
  }

  @Test
  void decidesAcrossPiecesOfTheRestartedWord() {
    assertThat(join("Sure, I love electronic", "elec", "tronic", " music.")).isEqualTo(" music.");
  }

  @Test
  void holdsBackOnlyWhileARestartIsPossible() {
    ContinuationJoin join = new ContinuationJoin("Sure, I love electronic");
    assertThat(join.accept("elec")).isEmpty();
    assertThat(join.accept("tro")).isEmpty();
    assertThat(join.accept("pop")).isEqualTo(" electropop");
    assertThat(join.accept(" rocks.")).isEqualTo(" rocks.");
    assertThat(join.finish()).isEmpty();
  }

  @Test
  void passesASpacedContinuationAtOnce() {
    ContinuationJoin join = new ContinuationJoin("Sure, I love electronic");
    assertThat(join.accept(" mus")).isEqualTo(" mus");
    assertThat(join.accept("ic")).isEqualTo("ic");
  }

  @Test
  void streamEndingOnTheRestartedWordEmitsNothing() {
    assertThat(join("Sure, I love electronic", "electr", "onic")).isEmpty();
  }

  @Test
  void streamEndingInsideAPossibleRestartKeepsTheText() {
    assertThat(join("Sure, I love electronic", "elec")).isEqualTo(" elec");
  }

  @Test
  void whitespaceOnlyContinuationIsDropped() {
    assertThat(join("Sure", "  ", "\n")).isEmpty();
  }
}
