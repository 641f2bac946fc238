package dev.overture.cli;

import dev.overture.lm.chat.ChatFormat;
import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.gguf.GgufArray;
import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufMetadata;
import dev.overture.lm.gguf.GgufTensorInfo;
import dev.overture.lm.gguf.GgufValueType;
import dev.overture.lm.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code overture inspect FILE}: what a GGUF file holds: version, metadata, tensor table, totals by
 * type, and the tokenizer and chat format the runtime derives from it.
 */
@Command(
    name = "inspect",
    header = "Print a GGUF file's metadata, tensors, tokenizer and chat format.",
    mixinStandardHelpOptions = true,
    description = {
      "Print a GGUF model file's version, metadata, tensor table and totals, "
          + "and the tokenizer and chat format Overture derives from it.",
      "Exits with 1 if the file is missing, unreadable or not a valid GGUF file."
    })
final class InspectCommand implements Callable<Integer> {
  private static final int MAX_VALUE_CHARS = 100;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The .gguf file.")
  Path file;

  @Option(names = "--items", paramLabel = "N", defaultValue = "4",
      description = "Array items to show before the count (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--no-tensors", description = "Leave out the tensor table (totals are still printed).")
  boolean noTensors;

  @Override
  public Integer call() throws IOException {
    if (items < 0) {
      throw new IllegalArgumentException("--items cannot be negative, got " + items);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (GgufFile gguf = GgufFile.open(file)) { // errors: one line, exit 1 (UserErrorHandler)
      print(gguf, out);
      out.flush();
      return 0;
    }
  }

  private void print(GgufFile gguf, PrintWriter out) {
    out.printf(Locale.ROOT, "%s: GGUF version %d, %,d bytes, alignment %d, tensor data at byte %,d%n",
        file, gguf.version(), gguf.fileSize(), gguf.alignment(), gguf.dataOffset());

    GgufMetadata metadata = gguf.metadata();
    out.printf(Locale.ROOT, "%nMetadata (%d keys)%n", metadata.size());
    int keyWidth = metadata.keys().stream().mapToInt(String::length).max().orElse(0);
    for (String key : metadata.keys()) {
      GgufValueType type = metadata.type(key).get();
      Object value = metadata.raw(key);
      String typeName = value instanceof GgufArray ? arrayType((GgufArray) value) : type.wireName();
      out.printf(Locale.ROOT, "  %-" + keyWidth + "s  %-16s %s%n", key, typeName, describe(value));
    }

    List<GgufTensorInfo> tensors = gguf.tensors();
    Map<GgmlType, long[]> byType = new EnumMap<>(GgmlType.class);
    long parameters = 0;
    long bytes = 0;
    for (GgufTensorInfo t : tensors) {
      long[] sums = byType.computeIfAbsent(t.type(), k -> new long[3]);
      sums[0]++;
      sums[1] += t.elementCount();
      sums[2] += t.byteSize();
      parameters += t.elementCount();
      bytes += t.byteSize();
    }
    out.printf(Locale.ROOT, "%nTensors (%d)%n", tensors.size());
    if (!noTensors && !tensors.isEmpty()) {
      int nameWidth = Math.max(4, tensors.stream().mapToInt(t -> t.name().length()).max().orElse(0));
      out.printf(Locale.ROOT, "  %-" + nameWidth + "s  %-8s %-22s %14s%n", "name", "type", "shape", "bytes");
      for (GgufTensorInfo t : tensors) {
        out.printf(Locale.ROOT, "  %-" + nameWidth + "s  %-8s %-22s %,14d%n", t.name(), t.type(), Arrays.toString(t.shape()), t.byteSize());
      }
    }
    out.printf(Locale.ROOT, "%nTotals: %,d parameters, %,d bytes of tensor data%n", parameters, bytes);
    for (Map.Entry<GgmlType, long[]> e : byType.entrySet()) {
      long[] s = e.getValue();
      out.printf(Locale.ROOT, "  %-8s %5d tensors %,16d parameters %,16d bytes%n", e.getKey(), s[0], s[1], s[2]);
    }

    out.printf(Locale.ROOT, "%nTokenizer%n");
    if (!metadata.has("tokenizer.ggml.model")) {
      out.println("  none (the file has no tokenizer.ggml.model)");
      return;
    }
    Tokenizer tokenizer;
    try {
      tokenizer = Tokenizer.fromGguf(metadata);
    } catch (GgufFormatException e) {
      out.println("  unusable: " + e.getMessage());
      return;
    }
    out.printf(Locale.ROOT, "  model %s, pre-tokenizer %s, %,d tokens, %d special%n",
        metadata.getString("tokenizer.ggml.model"), metadata.findString("tokenizer.ggml.pre").orElse("(none: default)"),
        tokenizer.vocabSize(), countSpecial(tokenizer));
    out.printf(Locale.ROOT, "  bos %s (added to prompts: %s), eos %s%n", token(tokenizer, tokenizer.bos()),
        tokenizer.addBos() ? "yes" : "no", token(tokenizer, tokenizer.eos()));
    List<String> eog = new ArrayList<>();
    for (int id : tokenizer.endOfGeneration()) {
      eog.add(token(tokenizer, id));
    }
    out.println("  end of generation: " + (eog.isEmpty() ? "none" : String.join(", ", eog)));
    try {
      out.println("  chat format: " + ChatFormat.fromGguf(metadata, tokenizer));
    } catch (GgufFormatException e) {
      out.println("  chat format: unknown (" + e.getMessage() + ")");
    }
  }

  private static int countSpecial(Tokenizer tokenizer) {
    int n = 0;
    for (int id = 0; id < tokenizer.vocabSize(); id++) {
      if (tokenizer.isSpecial(id)) {
        n++;
      }
    }
    return n;
  }

  private static String token(Tokenizer tokenizer, int id) {
    return id < 0 ? "none" : id + " " + quote(tokenizer.tokenText(id));
  }

  private static String arrayType(GgufArray array) {
    return (array.elementType() == GgufValueType.ARRAY ? "array" : array.elementType().wireName()) + "[" + array.size() + "]";
  }

  private String describe(Object value) {
    if (value instanceof GgufArray) {
      GgufArray array = (GgufArray) value;
      StringBuilder s = new StringBuilder("[");
      int shown = Math.min(items, array.size());
      for (int i = 0; i < shown; i++) {
        s.append(i == 0 ? "" : ", ").append(describe(array.get(i)));
      }
      if (shown < array.size()) {
        s.append(shown == 0 ? "" : ", ").append("... ").append(array.size() - shown).append(" more");
      }
      return s.append(']').toString();
    }
    return value instanceof String ? quote((String) value) : String.valueOf(value);
  }

  private static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      if (q.length() > MAX_VALUE_CHARS) {
        return q.append("...\" (").append(s.length()).append(" chars)").toString();
      }
      char c = s.charAt(i);
      if (c == '\n') {
        q.append("\\n");
      } else if (c == '"' || c == '\\') {
        q.append('\\').append(c);
      } else if (c < 0x20) {
        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
