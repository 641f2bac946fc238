package dev.overture.lm.tokenizer;

import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}), as llama.cpp's {@code llm_tokenizer_bpe}:
 * the text is split into pieces by the {@link PreTokenizer}; each piece's UTF-8 bytes start as one
 * symbol each (the vocabulary spells bytes with {@link ByteLevelAlphabet}); then the adjacent pair
 * with the lowest merge rank is merged, leftmost first among equal ranks, until no pair has a merge.
 */
final class ByteLevelBpeTokenizer extends VocabularyTokenizer {
  static final String PRE = "tokenizer.ggml.pre";
  static final String MERGES = "tokenizer.ggml.merges";
  /** Pieces whose encoding is remembered; cleared when full (plain text repeats words a lot). */
  private static final int CACHE_LIMIT = 8192;
  private static final int DEAD = Integer.MIN_VALUE;

  private final PreTokenizer preTokenizer;
  private final MergeTable merges;
  /** Token of each byte's single-character spelling, or -1. */
  private final int[] byteTokens = new int[256];
  private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

  private ByteLevelBpeTokenizer(Vocabulary vocab, PreTokenizer preTokenizer, MergeTable merges) {
    super(vocab);
    this.preTokenizer = preTokenizer;
    this.merges = merges;
    for (int b = 0; b < 256; b++) {
      Integer id = vocab.ids.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
      byteTokens[b] = id == null ? -1 : id;
    }
    initPieces();
  }

  static ByteLevelBpeTokenizer fromGguf(GgufMetadata metadata) throws GgufFormatException {
    PreTokenizer pre = PreTokenizer.forName(metadata.findString(PRE).orElse(null));
    Vocabulary vocab = new Vocabulary(metadata, false, pre.addsBosByDefault());
    if (!metadata.has(MERGES)) {
      throw vocab.error(MERGES, "is missing; a gpt2 (byte-level BPE) tokenizer needs its merges");
    }
    List<String> lines = metadata.getStringArray(MERGES);
    MergeTable table = new MergeTable(lines.size());
    for (int rank = 0; rank < lines.size(); rank++) {
      String line = lines.get(rank);
      int space = line.indexOf(' ', 1); // as llama.cpp: the left part may itself be a space
      if (space < 0) {
        throw vocab.error(MERGES, "entry " + rank + " '" + line + "' is not two tokens separated by a space");
      }
      Integer left = vocab.ids.get(line.substring(0, space));
      Integer right = vocab.ids.get(line.substring(space + 1));
      Integer merged = vocab.ids.get(line.substring(0, space) + line.substring(space + 1));
      if (left != null && right != null && merged != null) {
        table.put(left, right, rank, merged);
      }
      // A merge of unknown tokens can never apply; llama.cpp keeps it but it has no effect either.
    }
    return new ByteLevelBpeTokenizer(vocab, pre, table);
  }

  @Override
  void encodeText(String text, boolean afterBoundary, TokenBuffer out) {
    for (String piece : preTokenizer.split(text)) {
      int[] ids = cache.get(piece);
      if (ids == null) {
        ids = encodePiece(piece);
        if (cache.size() >= CACHE_LIMIT) {
          cache.clear();
        }
        cache.put(piece, ids);
      }
      out.addAll(ids);
    }
  }

  private int[] encodePiece(String piece) {
    byte[] bytes = utf8(piece);
    TokenBuffer out = new TokenBuffer();
    if (preTokenizer.ignoresMerges()) {
      Integer whole = vocab.ids.get(byteLevelSpelling(bytes));
      if (whole != null) {
        return new int[] {whole};
      }
    }
    int n = bytes.length;
    int[] ids = new int[n];
    int[] next = new int[n];
    int[] prev = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = byteTokens[bytes[i] & 0xFF];
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    // Candidate merges ordered by (rank, left position); stale entries are skipped when popped.
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i + 1 < n; i++) {
      offer(heap, ids, i, i + 1);
    }
    while (!heap.isEmpty()) {
      long candidate = heap.poll();
      int left = (int) candidate;
      int right = ids[left] == DEAD ? -1 : next[left];
      if (right < 0) {
        continue;
      }
      long merge = merges.get(ids[left], ids[right]);
      if (merge == MergeTable.NONE || MergeTable.rank(merge) != (int) (candidate >>> 32)) {
        continue;
      }
      ids[left] = MergeTable.merged(merge);
      ids[right] = DEAD;
      next[left] = next[right];
      if (next[right] >= 0) {
        prev[next[right]] = left;
      }
      if (prev[left] >= 0) {
        offer(heap, ids, prev[left], left);
      }
      if (next[left] >= 0) {
        offer(heap, ids, left, next[left]);
      }
    }
    for (int i = 0; i >= 0 && i < n; i = next[i]) {
      if (ids[i] >= 0) {
        out.add(ids[i]);
      } else {
        appendBytes(new byte[] {bytes[i]}, byteTokens, out);
      }
    }
    return out.toArray();
  }

  private void offer(LongHeap heap, int[] ids, int left, int right) {
    long merge = merges.get(ids[left], ids[right]);
    if (merge != MergeTable.NONE) {
      heap.add(((long) MergeTable.rank(merge) << 32) | left);
    }
  }

  @Override
  byte[] normalPiece(int token) {
    String text = vocab.texts[token];
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      int b = ByteLevelAlphabet.byteOf(text.charAt(i));
      if (b >= 0) {
        out.write(b);
      } else {
        // Not a byte-level character (a vocabulary bug); keep the text rather than lose it.
        byte[] raw = String.valueOf(text.charAt(i)).getBytes(StandardCharsets.UTF_8);
        out.write(raw, 0, raw.length);
      }
    }
    return out.toByteArray();
  }

  @Override
  boolean stripsSpacePrefix() {
    return false;
  }

  /** The pre-tokenizer in use (for diagnostics). */
  PreTokenizer preTokenizer() {
    return preTokenizer;
  }

  int mergeCount() {
    return merges.size();
  }

  private static String byteLevelSpelling(byte[] bytes) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = ByteLevelAlphabet.charOf(bytes[i]);
    }
    return new String(chars);
  }

  /** A binary min-heap of longs. */
  private static final class LongHeap {
    private long[] items;
    private int size;

    LongHeap(int capacity) {
      items = new long[Math.max(4, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void add(long item) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (items[parent] <= item) {
          break;
        }
        items[i] = items[parent];
        i = parent;
      }
      items[i] = item;
    }

    long poll() {
      long top = items[0];
      long last = items[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && items[child + 1] < items[child]) {
          child++;
        }
        if (items[child] >= last) {
          break;
        }
        items[i] = items[child];
        i = child;
      }
      items[i] = last;
      return top;
    }
  }
}
