package dev.overture.lm.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.overture.lm.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the reader: any byte string yields a usable {@link GgufFile} (whose metadata, tensors and
 * tokenizer behave) or a {@link GgufFormatException}; any other throwable is a finding.
 *
 * <p>{@code mvn verify} runs it in Jazzer's fuzzing mode for a bounded time (see the pom's {@code
 * fuzz} surefire execution); without {@code JAZZER_FUZZ} it only replays the empty input.
 */
class GgufFileFuzzTest {
  /** A valid file with a tokenizer, nested arrays and tensors: half the inputs mutate it. */
  private static final byte[] SEED = seed();

  @FuzzTest(maxDuration = "10s")
  void anyBytesGiveAFileOrATypedError(FuzzedDataProvider data) {
    byte[] image;
    if (data.consumeBoolean()) {
      image = SEED.clone();
      int edits = data.consumeInt(1, 8);
      for (int i = 0; i < edits; i++) {
        int at = data.consumeInt(0, image.length - 1);
        image[at] = data.consumeByte();
      }
      image = Arrays.copyOf(image, data.consumeInt(0, image.length));
    } else {
      image = data.consumeRemainingAsBytes();
    }
    try (GgufFile file = GgufFile.read("fuzz.gguf", ByteBuffer.wrap(image), 64)) {
      exercise(file);
    } catch (GgufFormatException expected) {
      // the typed rejection this test allows
    } catch (IOException e) {
      throw new UncheckedIOException("untyped I/O failure", e);
    }
  }

  private static void exercise(GgufFile file) throws GgufFormatException {
    GgufMetadata metadata = file.metadata();
    for (String key : metadata.keys()) {
      metadata.raw(key);
    }
    for (GgufTensorInfo tensor : file.tensors()) {
      assertEquals(tensor.byteSize(), file.tensorData(tensor).capacity());
    }
    if (metadata.has("tokenizer.ggml.model")) {
      Tokenizer tokenizer = Tokenizer.fromGguf(metadata);
      String text = "<|im_start|>héllo wörld 😀<|im_end|>";
      int[] ids = tokenizer.encodeWithSpecials(text);
      tokenizer.decode(ids);
      tokenizer.decode(tokenizer.encode(text));
    }
  }

  private static byte[] seed() {
    List<String> tokens = new ArrayList<>(Arrays.asList("<|im_start|>", "<|im_end|>"));
    for (int b = 0; b < 256; b++) {
      tokens.add(new String(Character.toChars(b < 33 || (b > 126 && b < 161) || b == 173 ? 256 + b : b)));
    }
    tokens.add("he");
    ByteBuffer q8 = ByteBuffer.allocate(34);
    try {
      return new GgufWriter()
          .put("general.architecture", "llama")
          .put("llama.context_length", 64)
          .put("tokenizer.ggml.model", "gpt2")
          .put("tokenizer.ggml.pre", "gpt-2")
          .putStrings("tokenizer.ggml.tokens", tokens)
          .putStrings("tokenizer.ggml.merges", Arrays.asList("h e"))
          .put("tokenizer.ggml.bos_token_id", 0)
          .put("nested", GgufArray.ofArrays(Arrays.asList(GgufArray.ofInts(new int[] {1, 2}), GgufArray.ofStrings(Arrays.asList("x")))))
          .addTensor("a", new long[] {4, 2}, new float[8])
          .addTensor("q", GgmlType.Q8_0, new long[] {32}, q8)
          .toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
