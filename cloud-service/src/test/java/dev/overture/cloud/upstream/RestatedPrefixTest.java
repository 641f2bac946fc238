package dev.overture.cloud.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestatedPrefixTest {

  /** Feeds {@code pieces} one by one and returns everything passed on, finish included. */
  private static String filter(String prefix, String... pieces) {
    RestatedPrefix filter = new RestatedPrefix(prefix);
    StringBuilder out = new StringBuilder();
    for (String piece : pieces) {
      out.append(filter.accept(piece));
    }
    return out.append(filter.finish()).toString();
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' + ''{1}'' -> ''{2}''")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    // A continuation passes untouched.
    "Sure, I love electronic | \" music, especially ambient.\" | \" music, especially ambient.\"",
    "Sure, I love electronic | \"music.\" | \"music.\"",
    "Brian Eno, | \" mostly his ambient records.\" | \" mostly his ambient records.\"",
    // A restated prefix is dropped, with or without leading space, before a separator or punctuation.
    "Sure, I love electronic | \"Sure, I love electronic music.\" | \" music.\"",
    "Sure, I love electronic | \"  Sure, I love electronic music.\" | \" music.\"",
    "Sure, I love electronic | \"Sure, I love electronic, especially.\" | \", especially.\"",
    "Sure, I love electronic | \"Sure, I love electronic\" | \"\"",
    // Starting like the prefix is not restating it.
    "Sure, I love electronic | \"Sure, I love electronica.\" | \"Sure, I love electronica.\"",
    "Sure, I love electronic | \"Sure, I love jazz.\" | \"Sure, I love jazz.\"",
    "Sure | \"Surely not.\" | \"Surely not.\"",
    // No prefix: nothing to restate.
    "\"\" | \"Hello there.\" | \"Hello there.\"",
  })
  void filtersWholeText(String prefix, String upstream, String expected) {
    assertThat(filter(prefix, upstream)).isEqualTo(expected);
  }

  @Test
  void decidesAcrossPieces() {
    assertThat(filter("Sure, I love electronic", "Sure,", " I love", " electro", "nic", " music.")).isEqualTo(" music.");
  }

  @Test
  void holdsBackOnlyWhileARestatementIsPossible() {
    RestatedPrefix filter = new RestatedPrefix("Sure, I love electronic");
    assertThat(filter.accept("Sure,")).isEmpty();
    assertThat(filter.accept(" I hate")).isEqualTo("Sure, I hate");
    assertThat(filter.accept(" it.")).isEqualTo(" it.");
    assertThat(filter.finish()).isEmpty();
  }

  @Test
  void passesADifferentStartAtOnce() {
    RestatedPrefix filter = new RestatedPrefix("Sure, I love electronic");
    assertThat(filter.accept(" mus")).isEqualTo(" mus");
    assertThat(filter.accept("ic")).isEqualTo("ic");
  }

  @Test
  void streamEndingInsideAPossibleRestatementKeepsTheText() {
    assertThat(filter("Sure, I love electronic", "Sure, I")).isEqualTo("Sure, I");
  }
}
