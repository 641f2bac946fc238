package dev.overture.lm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {

  private static List<String> split(String name, String text) {
    return PreTokenizer.forName(name).split(text);
  }

  @Test
  void gpt2SplitsWordsNumbersSymbolsAndSpaces() {
    assertEquals(Arrays.asList("Hello", ",", " world", "!", " 2024", "'s", "  ", " x", "\n"),
        split("gpt-2", "Hello, world! 2024's   x\n"));
  }

  @Test
  void gpt2TreatsUnicodeWhitespaceAsSpace() {
    // U+3000 (ideographic space) and U+00A0 are White_Space: a run, then the word with its plain space.
    assertEquals(Arrays.asList("a", "\u3000\u00A0", " b"), split("gpt-2", "a\u3000\u00A0 b"));
  }

  @Test
  void gpt2KeepsLettersOfEveryScript() {
    assertEquals(Arrays.asList("日本語", " テキスト", " 😀🎉", " é"), split("gpt-2", "日本語 テキスト 😀🎉 é"));
  }

  @Test
  void llama3SplitsDigitsInThreesAndKeepsPunctuationBeforeLetters() {
    assertEquals(Arrays.asList("123", "45", " Hello", ",", " WORLD", "'S", "\n\n"),
        split("llama3", "12345 Hello, WORLD'S\n\n"));
  }

  @Test
  void qwen2SplitsEveryDigit() {
    assertEquals(Arrays.asList("1", "2", "3", " abc"), split("qwen2", "123 abc"));
  }

  @Test
  void defaultRunsLlamaCppsExpressionSequence() {
    // Punctuation runs first, then GPT-2 within each piece, then digit runs, which cut " 12" in two.
    assertEquals(Arrays.asList("a", "...", "b", " ", "12"), split(null, "a...b 12"));
  }

  @Test
  void unknownNamesFallBackToGpt2() {
    PreTokenizer unknown = PreTokenizer.forName("brand-new-model");
    assertTrue(unknown.isFallback());
    assertFalse(PreTokenizer.forName("gpt-2").isFallback());
    assertEquals(split("gpt-2", "Hi there, 42"), unknown.split("Hi there, 42"));
  }

  @Test
  void piecesAlwaysCoverTheText() {
    String text = "\u0000\u0001 \t\r\n x\u200B\uFFFF\uD83D\uDE00 '' 'S";
    for (String name : new String[] {"gpt-2", "llama3", "qwen2", "default", "starcoder", "falcon"}) {
      assertEquals(text, String.join("", split(name, text)), name);
    }
  }
}
