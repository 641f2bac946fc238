package dev.overture.cloud.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenerAlignmentTest {

  private static byte[][] tokens(String... texts) {
    byte[][] bytes = new byte[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      bytes[i] = texts[i].getBytes(StandardCharsets.UTF_8);
    }
    return bytes;
  }

  @Test
  void eachWordAveragesTheTokensThatSpellIt() {
    float[] means = OpenerAlignment.wordMeans(
        tokens("Su", "re", ",", " I", " lo", "ve"), new float[] {-1, -3, -2, -4, -6, -2}, List.of("Sure,", " I", " love"));
    assertThat(means).containsExactly(-2f, -4f, -4f);
  }

  @Test
  void tokensBeforeTheOpenerCountForNoWord() {
    float[] means = OpenerAlignment.wordMeans(
        tokens("assistant", "\n", "Hi", " there"), new float[] {-9, -9, -1, -3}, List.of("Hi", " there"));
    assertThat(means).containsExactly(-1f, -3f);
  }

  @Test
  void aTokenAcrossTwoWordsCountsForBoth() {
    float[] means = OpenerAlignment.wordMeans(tokens("a b", " c"), new float[] {-2, -4}, List.of("a", " b", " c"));
    assertThat(means).containsExactly(-2f, -2f, -4f);
  }

  @Test
  void aCharacterSplitAcrossTokensBelongsToItsWord() {
    byte[] e = "é".getBytes(StandardCharsets.UTF_8);
    byte[][] split = {{'c', 'a', 'f'}, {e[0]}, {e[1]}, " ok".getBytes(StandardCharsets.UTF_8)};
    float[] means = OpenerAlignment.wordMeans(split, new float[] {-1, -2, -3, -5}, List.of("café", " ok"));
    assertThat(means).containsExactly(-2f, -5f);
  }

  @Test
  void tokensThatDoNotSpellTheOpenerCannotBeAligned() {
    assertThat(OpenerAlignment.wordMeans(tokens("Hey"), new float[] {-1}, List.of("Hi"))).isNull();
  }
}
