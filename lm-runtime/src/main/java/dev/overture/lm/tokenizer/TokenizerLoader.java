package dev.overture.lm.tokenizer;

import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufMetadata;
import dev.overture.lm.gguf.GgufMetadataException;

/** Chooses and builds the tokenizer that {@code tokenizer.ggml.model} names. */
final class TokenizerLoader {
  private TokenizerLoader() {}

  static Tokenizer load(GgufMetadata metadata) throws GgufFormatException {
    try {
      if (!metadata.has(Vocabulary.MODEL)) {
        throw new GgufFormatException(metadata.source() + ": metadata key '" + Vocabulary.MODEL
            + "' is missing: the file has no tokenizer");
      }
      String model = metadata.getString(Vocabulary.MODEL);
      switch (model) {
        case "gpt2":
          return ByteLevelBpeTokenizer.fromGguf(metadata);
        case "llama":
          return SentencePieceTokenizer.fromGguf(metadata);
        default:
          throw new GgufFormatException(metadata.source() + ": metadata key '" + Vocabulary.MODEL + "' is '" + model
              + "'; this runtime supports 'gpt2' (byte-level BPE) and 'llama' (SentencePiece BPE)");
      }
    } catch (GgufMetadataException e) {
      throw new GgufFormatException(e.getMessage(), e);
    }
  }
}
