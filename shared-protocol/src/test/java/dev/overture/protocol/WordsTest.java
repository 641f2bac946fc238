package dev.overture.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WordsTest {

  @Test
  void separatorsAreTheFourJsonWhitespaceCharacters() {
    assertTrue(Words.isSeparator(' '));
    assertTrue(Words.isSeparator('\t'));
    assertTrue(Words.isSeparator('\n'));
    assertTrue(Words.isSeparator('\r'));
    assertFalse(Words.isSeparator('\u00a0'));
    assertFalse(Words.isSeparator('\u3000'));
  }

  @Test
  void countCountsRunsOfNonSeparators() {
    assertEquals(7, Words.count("Sure, I love electronic music, especially ambient."));
  }

  @Test
  void countIgnoresLeadingTrailingAndRepeatedSeparators() {
    assertEquals(2, Words.count("  a \n\t b  "));
  }

  @Test
  void countOfEmptyOrBlankTextIsZero() {
    assertEquals(0, Words.count(""));
    assertEquals(0, Words.count(" \r\n"));
  }

  @Test
  void punctuationBelongsToTheWordItTouches() {
    assertEquals(3, Words.count("music , ok"), "a lone comma is a word of its own");
    assertEquals(1, Words.count("electronic,"));
  }

  @Test
  void prefixEndsAtTheLastCharacterOfTheNthWord() {
    assertEquals("Sure, I", Words.prefix("Sure, I love it.", 2));
  }

  @Test
  void prefixOfZeroWordsIsEmpty() {
    assertEquals("", Words.prefix("Sure, I love it.", 0));
  }

  @Test
  void prefixOfAllWordsDropsTrailingSeparators() {
    assertEquals("a b", Words.prefix("a b \n", 2));
  }

  @Test
  void prefixKeepsLeadingSeparators() {
    assertEquals(" a", Words.prefix(" a b", 1));
  }

  @Test
  void prefixRejectsMoreWordsThanTheTextHas() {
    assertThrows(IllegalArgumentException.class, () -> Words.prefix("a b", 3));
  }

  @Test
  void prefixRejectsANegativeCount() {
    assertThrows(IllegalArgumentException.class, () -> Words.prefix("a b", -1));
  }

  @Test
  void firstOpenerWordHasNoLeadingSeparator() {
    assertTrue(Words.isOpenerWord("Sure,", true));
    assertFalse(Words.isOpenerWord(" Sure,", true));
  }

  @Test
  void laterOpenerWordStartsWithSeparators() {
    assertTrue(Words.isOpenerWord(" love", false));
    assertTrue(Words.isOpenerWord("\n\nThen", false));
    assertFalse(Words.isOpenerWord("love", false));
  }

  @Test
  void openerWordIsExactlyOneWord() {
    assertFalse(Words.isOpenerWord(" I love", false));
    assertFalse(Words.isOpenerWord(" love ", false));
    assertFalse(Words.isOpenerWord("  ", false));
    assertFalse(Words.isOpenerWord("", true));
  }

  @Test
  void concatenatedOpenerWordsCountAsManyWords() {
    String[] words = {"Sure,", " I", " love", " electronic"};
    StringBuilder text = new StringBuilder();
    for (String word : words) {
      assertTrue(Words.isOpenerWord(word, text.length() == 0));
      text.append(word);
    }
    assertEquals(words.length, Words.count(text));
  }
}
