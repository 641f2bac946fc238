package dev.overture.lm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What both tokenizer kinds share: special-token splitting, decoding through per-token byte
 * pieces, and the vocabulary queries. Subclasses encode the plain text between special tokens and
 * say which bytes each token stands for.
 */
abstract class VocabularyTokenizer implements Tokenizer {
  private static final byte[] REPLACEMENT_UTF8 = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  final Vocabulary vocab;
  private final SpecialTokenMatcher plainMatcher;
  private final SpecialTokenMatcher specialMatcher;
  /** Bytes each token stands for; filled by {@link #initPieces()}. */
  private byte[][] pieces;

  VocabularyTokenizer(Vocabulary vocab) {
    this.vocab = vocab;
    List<Integer> userDefined = new ArrayList<>();
    List<Integer> all = new ArrayList<>();
    for (int id = 0; id < vocab.size(); id++) {
      if (vocab.isUserDefined(id)) {
        userDefined.add(id);
        all.add(id);
      } else if (vocab.special[id]) {
        all.add(id);
      }
    }
    plainMatcher = new SpecialTokenMatcher(vocab.texts, userDefined);
    specialMatcher = new SpecialTokenMatcher(vocab.texts, all);
  }

  /** Computes every token's bytes; subclass constructors call it once their state is set. */
  final void initPieces() {
    pieces = new byte[vocab.size()][];
    for (int id = 0; id < pieces.length; id++) {
      // UNUSED slots (Gemma's "<unused12>", padded vocabularies) and UNDEFINED ones stand for no
      // text, as in llama.cpp's token_to_piece.
      pieces[id] = vocab.types[id] == TokenType.UNUSED || vocab.types[id] == TokenType.UNDEFINED ? new byte[0]
          : vocab.special[id] || vocab.isUserDefined(id)
          ? vocab.texts[id].getBytes(StandardCharsets.UTF_8)
          : normalPiece(id);
    }
  }

  /**
   * Encodes plain text (no special tokens in it) and appends the ids to {@code out}.
   *
   * @param afterBoundary whether the text starts the input or follows a matched token; SentencePiece
   *     adds its space prefix there
   */
  abstract void encodeText(String text, boolean afterBoundary, TokenBuffer out);

  /** The bytes a normal (not special, not user-defined) token stands for. */
  abstract byte[] normalPiece(int token);

  /** Whether {@link #decode} drops the first space after a boundary (SentencePiece prefix). */
  abstract boolean stripsSpacePrefix();

  @Override
  public int[] encode(String text) {
    return encode(text, plainMatcher);
  }

  @Override
  public int[] encodeWithSpecials(String text) {
    return encode(text, specialMatcher);
  }

  private int[] encode(String text, SpecialTokenMatcher matcher) {
    TokenBuffer out = new TokenBuffer();
    boolean[] afterBoundary = {true};
    matcher.split(text, new SpecialTokenMatcher.Sink() {
      @Override
      public void text(int start, int end) {
        encodeText(text.substring(start, end), afterBoundary[0], out);
        afterBoundary[0] = false;
      }

      @Override
      public void token(int id) {
        out.add(id);
        afterBoundary[0] = true;
      }
    });
    return out.toArray();
  }

  @Override
  public String decode(int[] tokens) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(tokens.length * 4);
    boolean afterBoundary = true;
    for (int token : tokens) {
      byte[] piece = pieces[check(token)];
      boolean boundaryToken = vocab.special[token] || vocab.isUserDefined(token);
      int skip = afterBoundary && !boundaryToken && stripsSpacePrefix() && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
      bytes.write(piece, skip, piece.length - skip);
      afterBoundary = boundaryToken;
    }
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] tokenBytes(int token) {
    return pieces[check(token)].clone();
  }

  @Override
  public int vocabSize() {
    return vocab.size();
  }

  @Override
  public int bos() {
    return vocab.bos;
  }

  @Override
  public int eos() {
    return vocab.eos;
  }

  @Override
  public boolean addBos() {
    return vocab.addBos && vocab.bos >= 0;
  }

  @Override
  public OptionalInt tokenId(String tokenText) {
    Integer id = vocab.ids.get(tokenText);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public boolean isSpecial(int token) {
    return vocab.special[check(token)];
  }

  @Override
  public String tokenText(int token) {
    return vocab.texts[check(token)];
  }

  @Override
  public Set<Integer> endOfGeneration() {
    return vocab.endOfGeneration;
  }

  /** Appends the id of each byte's fallback token, or the unknown token where there is none. */
  final void appendBytes(byte[] utf8, int[] byteTokens, TokenBuffer out) {
    for (byte b : utf8) {
      int id = byteTokens[b & 0xFF];
      if (id >= 0) {
        out.add(id);
      } else if (vocab.unk >= 0) {
        out.add(vocab.unk);
      }
      // else: the vocabulary cannot express this byte at all; llama.cpp drops it too
    }
  }

  private int check(int token) {
    if (token < 0 || token >= vocab.size()) {
      throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + vocab.size() + " tokens");
    }
    return token;
  }

  /**
   * UTF-8 bytes of {@code text}, with each lone surrogate (which UTF-8 cannot express) as U+FFFD.
   * ({@code String.getBytes} would write {@code ?} instead.)
   */
  static byte[] utf8(CharSequence text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        out.write(c);
      } else if (c < 0x800) {
        out.write(0xC0 | (c >> 6));
        out.write(0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        out.write(0xF0 | (cp >> 18));
        out.write(0x80 | ((cp >> 12) & 0x3F));
        out.write(0x80 | ((cp >> 6) & 0x3F));
        out.write(0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out.write(REPLACEMENT_UTF8, 0, 3);
      } else {
        out.write(0xE0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      }
    }
    return out.toByteArray();
  }
}
