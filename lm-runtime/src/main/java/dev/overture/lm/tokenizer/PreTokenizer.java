package dev.overture.lm.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pieces that byte-level BPE merges within, using the regular expressions
 * llama.cpp ({@code llm_tokenizer_bpe}) selects by {@code tokenizer.ggml.pre}.
 *
 * <p>Each expression refines the pieces of the one before: within a piece, every match becomes a
 * piece and so does the text between matches, so no text is ever dropped.
 *
 * <p>The expressions avoid {@code \s} and {@code Pattern.UNICODE_CHARACTER_CLASS}: the JVM's
 * {@code \s} is ASCII-only without that flag and Android ignores the flag, so whitespace is spelled
 * out as Unicode's White_Space set, which is also llama.cpp's. {@code \p{L}}, {@code \p{N}} and
 * {@code \p{P}} are Unicode categories on both. Where llama.cpp's GPT-2 regex is used it runs a
 * hand-written matcher equivalent to the original GPT-2 regex, which ends with {@code |\s+};
 * that alternative is included here. One known difference: llama.cpp makes every unassigned code
 * point a piece of its own, while {@code [^\s\p{L}\p{N}]+} here joins it to neighbouring symbols.
 */
final class PreTokenizer {
  private static final String WS = "\\t\\n\\x0B\\f\\r\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
  private static final String S = "[" + WS + "]";
  private static final String NOT_S = "[^" + WS + "]";

  private static final String GPT2 =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^" + WS + "\\p{L}\\p{N}]+|" + S + "+(?!" + NOT_S + ")|" + S + "+";
  private static final String LLAMA3_TEMPLATE =
      "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|DIGITS"
          + "| ?[^" + WS + "\\p{L}\\p{N}]+[\\r\\n]*|" + S + "*[\\r\\n]+|" + S + "+(?!" + NOT_S + ")|" + S + "+";
  private static final String LLAMA3 = LLAMA3_TEMPLATE.replace("DIGITS", "\\p{N}{1,3}");
  private static final String QWEN2 = LLAMA3_TEMPLATE.replace("DIGITS", "\\p{N}");
  private static final String PUNCTUATION_RUNS = "[\\p{P}\\$\\+<=>\\^~\\|]+";

  /** llama.cpp's pre-tokenizer names, grouped by the expressions they use. */
  private enum Kind {
    DEFAULT(false, Arrays.asList(PUNCTUATION_RUNS, GPT2, "\\p{N}+", "[0-9][0-9][0-9]"), "default"),
    GPT2_KIND(false, Collections.singletonList(GPT2), "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en",
        "jina-v2-es", "jina-v2-de", "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais"),
    LLAMA3_KIND(true, Collections.singletonList(LLAMA3), "llama3", "llama-v3", "llama-bpe", "falcon3"),
    LLAMA3_REGEX(false, Collections.singletonList(LLAMA3), "dbrx", "smaug-bpe", "chatglm-bpe"),
    QWEN2_KIND(false, Collections.singletonList(QWEN2), "qwen2", "deepseek-r1-qwen", "megrez", "stablelm2"),
    STARCODER(false, Arrays.asList("\\p{N}", GPT2), "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b"),
    FALCON(false, Arrays.asList(PUNCTUATION_RUNS, GPT2, "[0-9][0-9][0-9]"), "falcon");

    /** llama.cpp's Llama 3 rules: whole pieces that are tokens skip merging, and BOS is added by default. */
    final boolean llama3Rules;

    String expressionName() {
      return name().toLowerCase(Locale.ROOT).replace("_kind", "").replace("_regex", "");
    }

    final List<String> expressions;
    final List<String> names;

    Kind(boolean llama3Rules, List<String> expressions, String... names) {
      this.llama3Rules = llama3Rules;
      this.expressions = expressions;
      this.names = Arrays.asList(names);
    }
  }

  private final String name;
  private final Kind kind;
  private final boolean fallback;
  private final Pattern[] patterns;

  private PreTokenizer(String name, Kind kind, boolean fallback) {
    this.name = name;
    this.kind = kind;
    this.fallback = fallback;
    this.patterns = new Pattern[kind.expressions.size()];
    for (int i = 0; i < patterns.length; i++) {
      patterns[i] = Pattern.compile(kind.expressions.get(i));
    }
  }

  /**
   * The pre-tokenizer for {@code tokenizer.ggml.pre} = {@code name}; {@code null} (key absent)
   * gives llama.cpp's {@code default}. A name llama.cpp would reject as unknown gets the GPT-2
   * expression instead of an error ({@link #isFallback()}), so a model from a newer converter
   * still loads; its tokenization may differ from its training in places.
   */
  static PreTokenizer forName(String name) {
    if (name == null) {
      return new PreTokenizer("default", Kind.DEFAULT, false);
    }
    for (Kind kind : Kind.values()) {
      if (kind.names.contains(name)) {
        return new PreTokenizer(name, kind, false);
      }
    }
    return new PreTokenizer(name, Kind.GPT2_KIND, true);
  }

  /**
   * llama.cpp's {@code ignore_merges} (Llama 3): a piece that is itself a token becomes that token
   * without merging.
   */
  boolean ignoresMerges() {
    return kind.llama3Rules;
  }

  /** Whether llama.cpp adds BOS by default for this pre-tokenizer (Llama 3). */
  boolean addsBosByDefault() {
    return kind.llama3Rules;
  }

  /** Whether the name was unknown and the GPT-2 expression stands in. */
  boolean isFallback() {
    return fallback;
  }

  /** The pieces of {@code text}, in order; their concatenation is {@code text}. */
  List<String> split(String text) {
    List<int[]> pieces = new ArrayList<>();
    pieces.add(new int[] {0, text.length()});
    for (Pattern pattern : patterns) {
      List<int[]> refined = new ArrayList<>(pieces.size() * 2);
      Matcher m = pattern.matcher(text);
      for (int[] piece : pieces) {
        int at = piece[0];
        m.region(piece[0], piece[1]);
        while (m.find()) {
          if (m.end() == m.start()) {
            continue;
          }
          if (m.start() > at) {
            refined.add(new int[] {at, m.start()});
          }
          refined.add(new int[] {m.start(), m.end()});
          at = m.end();
        }
        if (at < piece[1]) {
          refined.add(new int[] {at, piece[1]});
        }
      }
      pieces = refined;
    }
    List<String> result = new ArrayList<>(pieces.size());
    for (int[] piece : pieces) {
      result.add(text.substring(piece[0], piece[1]));
    }
    return result;
  }

  @Override
  public String toString() {
    return name + (fallback ? " (unknown to this runtime: GPT-2 expression)" : " (" + kind.expressionName() + ")");
  }
}
