package dev.overture.cli;

import dev.overture.lm.InferenceSession;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.LoadOptions;
import dev.overture.lm.SessionOptions;
import dev.overture.lm.WordStreamer;
import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.kernel.KernelSelection;
import dev.overture.lm.kernel.Kernels;
import dev.overture.lm.kernel.PortableKernels;
import dev.overture.lm.synthetic.ModelShape;
import dev.overture.lm.synthetic.SyntheticModelWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overture bench lm}: prefill and decode speed, and time to the first words, of
 * random-weight models of the reference shapes, per tensor type, kernel and thread count.
 */
@Command(
    name = "lm",
    header = "lm-runtime prefill and decode speed on reference shapes.",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark lm-runtime on random-weight models of the reference shapes:",
      "micro (hidden 512, 8 layers, 8 heads, 2 KV heads, FFN 1408, vocab 12288, tied) and "
          + "moe (the same with 8 experts top-2). Prints prefill and decode tokens/s and the time "
          + "to the first word and to the first 8 words of a greedy continuation."
    })
final class BenchLmCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--shapes", split = ",", defaultValue = "micro,moe", description = "Model shapes: micro, moe (default: ${DEFAULT-VALUE}).")
  List<String> shapes;

  @Option(names = "--types", split = ",", defaultValue = "F32,Q8_0", description = "Weight types: F32, F16, BF16, Q8_0, Q4_0 (default: ${DEFAULT-VALUE}).")
  List<GgmlType> types;

  @Option(names = "--kernels", split = ",", defaultValue = "portable,best", description = "portable and/or best (the Vector API kernels when available) (default: ${DEFAULT-VALUE}).")
  List<String> kernels;

  @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: ${DEFAULT-VALUE}).")
  List<Integer> threads;

  @Option(names = "--prompt-tokens", defaultValue = "128", description = "Tokens prefilled (default: ${DEFAULT-VALUE}).")
  int promptTokens;

  @Option(names = "--decode-tokens", defaultValue = "128", description = "Tokens decoded per measurement (default: ${DEFAULT-VALUE}).")
  int decodeTokens;

  @Option(names = "--repeats", defaultValue = "3", description = "Measured runs per row after one warm-up; the best is reported (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--save", description = "Keep the generated GGUF files in this folder (to time the same files in llama.cpp).")
  Path saveDir;

  @Option(names = "--llama-cpp-tps", description = {
      "Decode tokens/s that llama.cpp's llama-bench measured on the same file and machine",
      "(e.g. -p 128 -n 128 -t 1 on the --save'd micro Q8_0 file); adds a ratio column."})
  Double llamaCppTps;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    KernelSelection selection = KernelSelection.select();
    err.println(selection.describe());
    out.printf(Locale.ROOT, "JVM %s %s, %d cores%n", System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    Path dir = saveDir != null ? Files.createDirectories(saveDir) : Files.createTempDirectory("overture-bench");
    List<String[]> rows = new ArrayList<>();
    Map<String, Double> decodeByRow = new LinkedHashMap<>();
    try {
      for (String shapeName : shapes) {
        ModelShape shape = shape(shapeName);
        for (GgmlType type : types) {
          Path file = dir.resolve("synthetic-" + shapeName + "-" + type.name().toLowerCase(Locale.ROOT) + ".gguf");
          if (!Files.exists(file)) {
            err.printf(Locale.ROOT, "writing %s (%.1fM parameters)...%n", file.getFileName(), shape.parameters() / 1e6);
            new SyntheticModelWriter(shape, type, 1).write(file);
          }
          for (String kernelName : kernels) {
            Kernels k = "portable".equals(kernelName) ? new PortableKernels() : selection.kernels();
            if (!"portable".equals(kernelName) && k instanceof PortableKernels) {
              continue;
            }
            try (LanguageModel model = LanguageModel.load(file, LoadOptions.defaults().withKernels(k))) {
              for (int t : threads) {
                Result r = measure(model, t);
                String key = shapeName + "/" + type + "/" + k.name() + "/" + t;
                decodeByRow.put(key, r.decodeTps);
                rows.add(new String[] {
                  shapeName, type.name(), k.name(), String.valueOf(t),
                  format(r.prefillTps), format(r.decodeTps),
                  String.format(Locale.ROOT, "%.1f", r.firstWordMs),
                  r.eightWordsMs < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f (%d tok)", r.eightWordsMs, r.eightWordsTokens),
                  llamaCppTps == null ? "-" : String.format(Locale.ROOT, "%.2f", r.decodeTps / llamaCppTps)
                });
              }
            }
          }
          if (saveDir == null) {
            Files.deleteIfExists(file);
          }
        }
      }
    } finally {
      if (saveDir == null) {
        Files.deleteIfExists(dir);
      }
    }
    printTable(out, rows);
    out.println();
    out.println(llamaCppTps == null
        ? "ratio_llama.cpp: pass --llama-cpp-tps with llama-bench's decode tokens/s on the same file and machine."
        : String.format(Locale.ROOT, "ratio_llama.cpp = decode tokens/s / %.0f (llama.cpp's decode on the same file and machine).", llamaCppTps));
    for (String key : decodeByRow.keySet()) {
      if (key.contains("/portable/")) {
        continue;
      }
      String portableKey = key.replaceFirst("/[^/]+/(\\d+)$", "/portable/$1");
      Double p = decodeByRow.get(portableKey);
      if (p != null) {
        out.printf(Locale.ROOT, "speedup %s over portable: %.2fx%n", key, decodeByRow.get(key) / p);
      }
    }
    out.flush();
    return 0;
  }

  static ModelShape shape(String name) {
    switch (name) {
      case "micro":
        return ModelShape.microReference();
      case "moe":
        return ModelShape.moeReference();
      default:
        throw new IllegalArgumentException("unknown shape '" + name + "': use micro or moe");
    }
  }

  private static final class Result {
    double prefillTps;
    double decodeTps;
    double firstWordMs;
    double eightWordsMs = -1;
    int eightWordsTokens;
  }

  private Result measure(LanguageModel model, int threadCount) {
    Random random = new Random(3);
    int[] prompt = new int[promptTokens];
    for (int i = 0; i < prompt.length; i++) {
      prompt[i] = 300 + random.nextInt(2000);
    }
    Result best = new Result();
    SessionOptions options = SessionOptions.defaults().withContextLength(promptTokens + decodeTokens + 8).withThreads(threadCount);
    try (InferenceSession s = model.newSession(options)) {
      for (int run = 0; run <= repeats; run++) {
        s.rollback(0);
        long t0 = System.nanoTime();
        s.prefill(prompt);
        long t1 = System.nanoTime();
        // Greedy continuation, timed from the end of prefill: first word, first 8 words, decode rate.
        List<String> words = new ArrayList<>();
        WordStreamer streamer = new WordStreamer(words::add);
        long firstWord = -1;
        long eightWords = -1;
        int eightTokens = 0;
        long d0 = System.nanoTime();
        for (int i = 0; i < decodeTokens; i++) {
          int next = argmax(s.logits());
          streamer.accept(model.tokenizer().tokenBytes(next));
          long now = System.nanoTime();
          if (firstWord < 0 && !words.isEmpty()) {
            firstWord = now - d0;
          }
          if (eightWords < 0 && words.size() >= 8) {
            eightWords = now - d0;
            eightTokens = i + 1;
          }
          s.decode(next);
        }
        long d1 = System.nanoTime();
        if (run == 0) {
          continue; // warm-up
        }
        double prefillTps = promptTokens / ((t1 - t0) / 1e9);
        double decodeTps = decodeTokens / ((d1 - d0) / 1e9);
        if (decodeTps > best.decodeTps) {
          best.decodeTps = decodeTps;
          best.firstWordMs = firstWord < 0 ? -1 : firstWord / 1e6;
          best.eightWordsMs = eightWords < 0 ? -1 : eightWords / 1e6;
          best.eightWordsTokens = eightTokens;
        }
        best.prefillTps = Math.max(best.prefillTps, prefillTps);
      }
    }
    return best;
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  private static String format(double tps) {
    return String.format(Locale.ROOT, "%.0f", tps);
  }

  private static void printTable(PrintWriter out, List<String[]> rows) {
    String[] header = {"shape", "type", "kernels", "threads", "prefill tok/s", "decode tok/s", "first word ms", "8 words ms", "ratio_llama.cpp"};
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
      for (String[] r : rows) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sep = new StringBuilder("|");
    StringBuilder head = new StringBuilder("|");
    for (int i = 0; i < header.length; i++) {
      head.append(' ').append(pad(header[i], width[i])).append(" |");
      sep.append(' ').append("-".repeat(width[i])).append(" |");
    }
    out.println(head);
    out.println(sep);
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder("|");
      for (int i = 0; i < r.length; i++) {
        line.append(' ').append(pad(r[i], width[i])).append(" |");
      }
      out.println(line);
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
