package dev.overture.lm.tokenizer;

import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.gguf.GgufMetadata;
import dev.overture.lm.gguf.GgufWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Small vocabularies written with {@link GgufWriter} and read back, so the tests go through the
 * same metadata path as a model file.
 */
final class TinyVocabularies {
  private TinyVocabularies() {}

  /**
   * Byte-level BPE laid out like Overture's trained models: 0 {@code <|pad|>}, 1 {@code
   * <|im_start|>} (bos), 2 {@code <|im_end|>} (eos), 3 {@code <|endoftext|>}, then byte b as token
   * 4 + b, then one token per merge in rank order from 260:
   *
   * <pre>
   * rank/id-260: 0 he, 1 ll, 2 hell, 3 hello, 4 Ġw, 5 or, 6 Ġwor, 7 ld, 8 Ġworld, 9 Ã© (é),
   *              10 ðŁ, 11 ðŁĺ (first three bytes of 😀), 12 yz, 13 xy, 14 aa
   * </pre>
   *
   * and finally 275 {@code wd}, a token that no merge produces.
   */
  static GgufWriter gpt2(String pre) {
    List<String> tokens = new ArrayList<>(Arrays.asList("<|pad|>", "<|im_start|>", "<|im_end|>", "<|endoftext|>"));
    for (int b = 0; b < 256; b++) {
      tokens.add(String.valueOf(ByteLevelAlphabet.charOf(b)));
    }
    List<String> merges = Arrays.asList("h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld", "Ã ©", "ð Ł", "ðŁ ĺ", "y z", "x y", "a a");
    for (String merge : merges) {
      tokens.add(merge.replace(" ", ""));
    }
    tokens.add("wd");
    int[] types = new int[tokens.size()];
    Arrays.fill(types, 1);
    Arrays.fill(types, 0, 4, 3);
    GgufWriter writer = new GgufWriter()
        .put("general.architecture", "llama")
        .put("tokenizer.ggml.model", "gpt2")
        .putStrings("tokenizer.ggml.tokens", tokens)
        .putInts("tokenizer.ggml.token_type", types)
        .putStrings("tokenizer.ggml.merges", merges)
        .put("tokenizer.ggml.bos_token_id", 1)
        .put("tokenizer.ggml.eos_token_id", 2)
        .put("tokenizer.ggml.padding_token_id", 0)
        .put("tokenizer.ggml.add_bos_token", false);
    if (pre != null) {
      writer.put("tokenizer.ggml.pre", pre);
    }
    return writer;
  }

  /**
   * SentencePiece BPE like Llama 2's: 0 {@code <unk>}, 1 {@code <s>}, 2 {@code </s>}, byte b as
   * token 3 + b ({@code <0xNN>}), then these pieces (score in parentheses; merges pick the highest):
   *
   * <pre>
   * 259 ▁ (0)  260 h (0)  261 e (0)  262 l (0)  263 o (0)  264 w (0)  265 r (0)  266 d (0)
   * 267 he (-1)  268 ll (-2)  269 hell (-3)  270 hello (-4)  271 ▁hello (-5)  272 ▁w (-6)
   * 273 or (-7)  274 ▁wor (-8)  275 ld (-9)  276 ▁world (-10)  277 é (0)
   * 278 x (0)  279 y (0)  280 z (0)  281 xy (-1)  282 yz (-0.5)  283 p (0)  284 q (0)  285 pq (-3)  286 qp (-3)
   * </pre>
   */
  static GgufWriter llama(boolean withTokenTypes) {
    List<String> tokens = new ArrayList<>(Arrays.asList("<unk>", "<s>", "</s>"));
    List<Float> scores = new ArrayList<>(Arrays.asList(0f, 0f, 0f));
    List<Integer> types = new ArrayList<>(Arrays.asList(2, 3, 3));
    for (int b = 0; b < 256; b++) {
      tokens.add(String.format("<0x%02X>", b));
      scores.add(0f);
      types.add(6);
    }
    String[] pieces = {"▁", "h", "e", "l", "o", "w", "r", "d", "he", "ll", "hell", "hello", "▁hello", "▁w", "or", "▁wor", "ld", "▁world", "é", "x", "y", "z", "xy", "yz", "p", "q", "pq", "qp"};
    float[] pieceScores = {0, 0, 0, 0, 0, 0, 0, 0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 0, 0, 0, 0, -1, -0.5f, 0, 0, -3, -3};
    for (int i = 0; i < pieces.length; i++) {
      tokens.add(pieces[i]);
      scores.add(pieceScores[i]);
      types.add(1);
    }
    float[] scoreArray = new float[scores.size()];
    int[] typeArray = new int[types.size()];
    for (int i = 0; i < scoreArray.length; i++) {
      scoreArray[i] = scores.get(i);
      typeArray[i] = types.get(i);
    }
    GgufWriter writer = new GgufWriter()
        .put("general.architecture", "llama")
        .put("tokenizer.ggml.model", "llama")
        .putStrings("tokenizer.ggml.tokens", tokens)
        .putFloats("tokenizer.ggml.scores", scoreArray);
    if (withTokenTypes) {
      writer.putInts("tokenizer.ggml.token_type", typeArray);
    }
    return writer;
  }

  /** Writes {@code writer} to a temporary file and reads its metadata back. */
  static GgufMetadata metadata(GgufWriter writer) {
    try {
      Path file = Files.createTempFile("vocab", ".gguf");
      try {
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
          return gguf.metadata();
        }
      } finally {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GgufMetadata metadata(GgufWriter writer, Consumer<GgufWriter> change) {
    change.accept(writer);
    return metadata(writer);
  }

  static Tokenizer tokenizer(GgufWriter writer) {
    try {
      return Tokenizer.fromGguf(metadata(writer));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
