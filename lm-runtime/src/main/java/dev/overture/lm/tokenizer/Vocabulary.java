package dev.overture.lm.tokenizer;

import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufMetadata;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A vocabulary as the {@code tokenizer.ggml.*} keys describe it: token texts, types and scores,
 * special token ids, and which tokens are special.
 *
 * <p>A token is <em>special</em> if its type is CONTROL or UNKNOWN, if a {@code *_token_id} key
 * names it (bos, eos, eot, eom, unk, pad, sep, mask), or if its text is one of the end-of-turn
 * markers llama.cpp recognises by text. Special tokens are only produced by {@link
 * Tokenizer#encodeWithSpecials}. A USER_DEFINED token that is not special is matched by plain
 * encoding too, as in llama.cpp.
 */
final class Vocabulary {
  static final String MODEL = "tokenizer.ggml.model";
  static final String TOKENS = "tokenizer.ggml.tokens";
  static final String SCORES = "tokenizer.ggml.scores";
  static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
  static final String BOS = "tokenizer.ggml.bos_token_id";
  static final String EOS = "tokenizer.ggml.eos_token_id";
  static final String EOT = "tokenizer.ggml.eot_token_id";
  static final String EOM = "tokenizer.ggml.eom_token_id";
  static final String UNK = "tokenizer.ggml.unknown_token_id";
  static final String PAD = "tokenizer.ggml.padding_token_id";
  static final String SEP = "tokenizer.ggml.seperator_token_id"; // sic, as in llama.cpp and gguf-py
  static final String MASK = "tokenizer.ggml.mask_token_id";
  static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
  static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

  /** Texts llama.cpp treats as end of generation (plus Llama 3's base-model end of text). */
  private static final List<String> END_OF_GENERATION_TEXTS = Arrays.asList(
      "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "<|end_of_text|>");

  final String source;
  final String[] texts;
  final TokenType[] types;
  /** Scores (SentencePiece merge priorities); all zero when the file has none. */
  final float[] scores;
  final Map<String, Integer> ids;
  final int bos;
  final int eos;
  final int unk;
  final boolean addBos;
  final boolean addSpacePrefix;
  final boolean[] special;
  final Set<Integer> endOfGeneration;

  /**
   * Reads the vocabulary; {@code llamaDefaults} selects llama.cpp's defaults for SentencePiece
   * vocabularies (bos 1, eos 2, unk 0, add_space_prefix true) over those for byte-level BPE (no
   * bos/eos/unk unless given, add_space_prefix false). {@code addBosDefault} applies when {@code
   * tokenizer.ggml.add_bos_token} is absent.
   */
  Vocabulary(GgufMetadata metadata, boolean llamaDefaults, boolean addBosDefault) throws GgufFormatException {
    this.source = metadata.source();
    List<String> tokenList = metadata.getStringArray(TOKENS);
    int n = tokenList.size();
    if (n == 0) {
      throw error(TOKENS, "is empty");
    }
    texts = new String[n];
    ids = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      String text = tokenList.get(i);
      if (text.isEmpty()) {
        text = "[EMPTY_" + i + "]"; // llama.cpp's name for empty tokens, which nothing can produce
      }
      Integer previous = ids.put(text, i);
      if (previous != null) {
        throw error(TOKENS, "holds '" + text + "' twice, as tokens " + previous + " and " + i);
      }
      texts[i] = text;
    }

    scores = metadata.has(SCORES) ? metadata.getFloatArray(SCORES) : new float[n];
    if (scores.length != n) {
      throw error(SCORES, "has " + scores.length + " entries for " + n + " tokens");
    }
    types = new TokenType[n];
    if (metadata.has(TOKEN_TYPE)) {
      int[] typeIds = metadata.getIntArray(TOKEN_TYPE);
      if (typeIds.length != n) {
        throw error(TOKEN_TYPE, "has " + typeIds.length + " entries for " + n + " tokens");
      }
      for (int i = 0; i < n; i++) {
        types[i] = TokenType.fromId(typeIds[i]);
      }
    } else {
      Arrays.fill(types, TokenType.NORMAL);
    }

    bos = tokenId(metadata, BOS, llamaDefaults ? 1 : -1);
    eos = tokenId(metadata, EOS, llamaDefaults ? 2 : -1);
    unk = tokenId(metadata, UNK, llamaDefaults ? 0 : -1);
    addBos = metadata.findBoolean(ADD_BOS).orElse(addBosDefault);
    addSpacePrefix = metadata.findBoolean(ADD_SPACE_PREFIX).orElse(llamaDefaults);

    special = new boolean[n];
    for (int i = 0; i < n; i++) {
      special[i] = types[i] == TokenType.CONTROL || types[i] == TokenType.UNKNOWN;
    }
    Set<Integer> eog = new LinkedHashSet<>();
    for (int id : new int[] {bos, eos, unk, tokenId(metadata, PAD, -1), tokenId(metadata, SEP, -1), tokenId(metadata, MASK, -1)}) {
      markSpecial(id);
    }
    for (int id : new int[] {eos, tokenId(metadata, EOT, -1), tokenId(metadata, EOM, -1)}) {
      if (id >= 0) {
        eog.add(id);
        markSpecial(id);
      }
    }
    for (String text : END_OF_GENERATION_TEXTS) {
      Integer id = ids.get(text);
      if (id != null) {
        eog.add(id);
        markSpecial(id);
      }
    }
    endOfGeneration = Collections.unmodifiableSet(eog);
  }

  int size() {
    return texts.length;
  }

  boolean isUserDefined(int token) {
    return types[token] == TokenType.USER_DEFINED && !special[token];
  }

  private void markSpecial(int id) {
    if (id >= 0 && types[id] != TokenType.BYTE) {
      special[id] = true;
    }
  }

  private int tokenId(GgufMetadata metadata, String key, int defaultId) throws GgufFormatException {
    if (!metadata.has(key)) {
      return defaultId < texts.length ? defaultId : -1;
    }
    long id = metadata.getLong(key);
    if (id < 0 || id >= texts.length) {
      throw error(key, "is " + id + ", outside the vocabulary of " + texts.length + " tokens");
    }
    return (int) id;
  }

  GgufFormatException error(String key, String problem) {
    return new GgufFormatException(source + ": metadata key '" + key + "' " + problem);
  }
}
