package dev.overture.lm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufMetadata;
import dev.overture.lm.gguf.GgufWriter;
import java.util.Arrays;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class TokenizerLoaderTest {

  private static GgufFormatException loadError(GgufWriter writer) {
    GgufMetadata metadata = TinyVocabularies.metadata(writer);
    return assertThrows(GgufFormatException.class, () -> Tokenizer.fromGguf(metadata));
  }

  private static void assertMessage(GgufFormatException e, String expected) {
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void choosesTheImplementationByModel() throws Exception {
    assertInstanceOf(ByteLevelBpeTokenizer.class, TinyVocabularies.tokenizer(TinyVocabularies.gpt2("gpt-2")));
    assertInstanceOf(SentencePieceTokenizer.class, TinyVocabularies.tokenizer(TinyVocabularies.llama(true)));
  }

  @Test
  void rejectsFilesWithoutTokenizer() {
    assertMessage(loadError(new GgufWriter().put("general.architecture", "llama")),
        "metadata key 'tokenizer.ggml.model' is missing: the file has no tokenizer");
  }

  @Test
  void rejectsUnsupportedModels() {
    assertMessage(loadError(TinyVocabularies.gpt2("gpt-2").put("tokenizer.ggml.model", "bert")),
        "'tokenizer.ggml.model' is 'bert'; this runtime supports 'gpt2' (byte-level BPE) and 'llama'");
  }

  @Test
  void rejectsMissingMerges() {
    GgufWriter writer = new GgufWriter()
        .put("tokenizer.ggml.model", "gpt2")
        .putStrings("tokenizer.ggml.tokens", Arrays.asList("a", "b"));
    assertMessage(loadError(writer), "'tokenizer.ggml.merges' is missing");
  }

  @Test
  void rejectsMalformedMerges() {
    assertMessage(loadError(TinyVocabularies.gpt2("gpt-2").putStrings("tokenizer.ggml.merges", Arrays.asList("h e", "he"))),
        "'tokenizer.ggml.merges' entry 1 'he' is not two tokens separated by a space");
  }

  @Test
  void rejectsMistypedKeysNamingTheKey() {
    assertMessage(loadError(TinyVocabularies.gpt2("gpt-2").putFloats("tokenizer.ggml.tokens", new float[] {1})),
        "metadata key 'tokenizer.ggml.tokens' holds an array of 1 float32 elements, expected an array of string elements");
  }

  @Test
  void rejectsSpecialIdsOutsideTheVocabulary() {
    assertMessage(loadError(TinyVocabularies.gpt2("gpt-2").put("tokenizer.ggml.eos_token_id", 999)),
        "'tokenizer.ggml.eos_token_id' is 999, outside the vocabulary of 276 tokens");
  }

  @Test
  void rejectsMismatchedArrayLengths() {
    assertMessage(loadError(TinyVocabularies.llama(true).putFloats("tokenizer.ggml.scores", new float[] {0})),
        "'tokenizer.ggml.scores' has 1 entries for 287 tokens");
  }

  @Test
  void rejectsDuplicateTokenTexts() {
    GgufWriter writer = new GgufWriter()
        .put("tokenizer.ggml.model", "llama")
        .putStrings("tokenizer.ggml.tokens", Arrays.asList("<unk>", "a", "a"));
    assertMessage(loadError(writer), "holds 'a' twice, as tokens 1 and 2");
  }

  @Test
  void fallsBackToGpt2ExpressionForUnknownPreTokenizers() throws Exception {
    Tokenizer known = TinyVocabularies.tokenizer(TinyVocabularies.gpt2("gpt-2"));
    Tokenizer unknown = TinyVocabularies.tokenizer(TinyVocabularies.gpt2("from-the-future"));
    String text = "hello world, it's 2024!";
    assertEquals(Arrays.toString(known.encode(text)), Arrays.toString(unknown.encode(text)));
  }

  @Test
  void byteLevelVocabulariesHaveNoDefaultSpecialIds() throws Exception {
    GgufWriter writer = new GgufWriter()
        .put("tokenizer.ggml.model", "gpt2")
        .putStrings("tokenizer.ggml.tokens", Arrays.asList("a", "b", "ab"))
        .putStrings("tokenizer.ggml.merges", Arrays.asList("a b"));
    Tokenizer tokenizer = Tokenizer.fromGguf(TinyVocabularies.metadata(writer));
    assertEquals(-1, tokenizer.bos());
    assertEquals(-1, tokenizer.eos());
    assertFalse(tokenizer.addBos());
    assertTrue(tokenizer.endOfGeneration().isEmpty());
    assertEquals("[2]", Arrays.toString(tokenizer.encode("ab")));
  }

  @Test
  void findsEndOfGenerationTokensByKeyAndByText() throws Exception {
    GgufWriter writer = new GgufWriter()
        .put("tokenizer.ggml.model", "gpt2")
        .putStrings("tokenizer.ggml.tokens", Arrays.asList("<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|eom_id|>", "x", "<|custom_end|>"))
        .putStrings("tokenizer.ggml.merges", Arrays.asList())
        .put("tokenizer.ggml.bos_token_id", 0)
        .put("tokenizer.ggml.eos_token_id", 1)
        .put("tokenizer.ggml.eot_token_id", 5);
    Tokenizer tokenizer = Tokenizer.fromGguf(TinyVocabularies.metadata(writer));
    assertEquals(new HashSet<>(Arrays.asList(1, 2, 3, 5)), tokenizer.endOfGeneration());
    assertTrue(tokenizer.isSpecial(5)); // named by a key, so special even without token types
    assertFalse(tokenizer.isSpecial(4));
  }

  @Test
  void matchesUserDefinedTokensInPlainText() throws Exception {
    int[] types = new int[276];
    Arrays.fill(types, 1);
    Arrays.fill(types, 0, 4, 3);
    types[275] = 4; // "wd" becomes a user-defined token
    Tokenizer tokenizer = TinyVocabularies.tokenizer(TinyVocabularies.gpt2("gpt-2").putInts("tokenizer.ggml.token_type", types));
    assertEquals("[4, 275, 4]", Arrays.toString(tokenizer.encode("\0wd\0")));
    assertEquals("\0wd\0", tokenizer.decode(tokenizer.encode("\0wd\0")));
  }

  @Test
  void unusedAndUndefinedTokensDecodeToNothing() throws Exception {
    int[] types = new int[276];
    Arrays.fill(types, 1);
    Arrays.fill(types, 0, 4, 3);
    types[275] = 5; // "wd" is an UNUSED slot
    types[274] = 0; // and the token before it UNDEFINED
    Tokenizer tokenizer = TinyVocabularies.tokenizer(TinyVocabularies.gpt2("gpt-2").putInts("tokenizer.ggml.token_type", types));
    int w = tokenizer.encode("w")[0];
    assertEquals("ww", tokenizer.decode(new int[] {w, 275, 274, w}));
  }
}
