package dev.overture.cli;

import dev.overture.lm.InferenceSession;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.SamplingConfig;
import dev.overture.lm.Sampler;
import dev.overture.lm.SessionOptions;
import dev.overture.lm.Utf8Assembler;
import dev.overture.lm.chat.ChatFormat;
import dev.overture.lm.chat.ChatMessage;
import dev.overture.lm.kernel.KernelSelection;
import dev.overture.lm.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overture generate}: continue a prompt with a GGUF model and report the speed. */
@Command(
    name = "generate",
    header = "Generate text from a GGUF model and print tokens/s.",
    mixinStandardHelpOptions = true,
    description = "Generate text from a GGUF model and print tokens/s.")
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "GGUF model file.")
  Path model;

  @Option(names = "--prompt", required = true, description = "Prompt text.")
  String prompt;

  @Option(names = "--chat", description = "Wrap the prompt as a user message in the model's chat format and generate the assistant's reply.")
  boolean chat;

  @Option(names = "--max-tokens", defaultValue = "64", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
  float temperature;

  @Option(names = "--top-k", defaultValue = "40", description = "Top-k when sampling (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--top-p", defaultValue = "0.95", description = "Top-p when sampling (default: ${DEFAULT-VALUE}).")
  float topP;

  @Option(names = "--min-p", defaultValue = "0.05", description = "Min-p when sampling (default: ${DEFAULT-VALUE}).")
  float minP;

  @Option(names = "--repeat-penalty", defaultValue = "1.0", description = "Repetition penalty over the last 64 tokens (default: ${DEFAULT-VALUE}).")
  float repeatPenalty;

  @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", defaultValue = "1", description = "Threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--context", defaultValue = "2048", description = "Context length (default: ${DEFAULT-VALUE}).")
  int context;

  @Override
  public Integer call() throws IOException {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("--max-tokens must be at least 1, got " + maxTokens);
    }
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    err.println(KernelSelection.select().describe());
    SamplingConfig sampling;
    SessionOptions options;
    try { // before the model loads: a bad value is refused at once, naming its option
      sampling = new SamplingConfig(temperature, temperature == 0 ? 0 : topK, temperature == 0 ? 1f : topP,
          temperature == 0 ? 0f : minP, repeatPenalty, 64, seed);
      options = SessionOptions.defaults().withContextLength(context).withThreads(threads);
    } catch (IllegalArgumentException e) {
      throw namingTheOption(e);
    }
    try (LanguageModel lm = LanguageModel.load(model)) {
      err.println("model: " + lm);
      Tokenizer tokenizer = lm.tokenizer();
      int[] tokens;
      if (chat) {
        ChatFormat format = ChatFormat.fromGguf(lm.file().metadata(), tokenizer);
        tokens = format.encode(tokenizer, Collections.singletonList(ChatMessage.user(prompt)), true);
      } else {
        tokens = tokenizer.encode(prompt);
        if (tokenizer.addBos()) {
          int[] withBos = new int[tokens.length + 1];
          withBos[0] = tokenizer.bos();
          System.arraycopy(tokens, 0, withBos, 1, tokens.length);
          tokens = withBos;
        }
      }
      if (tokens.length == 0) {
        err.println("generate: the prompt encodes to no tokens");
        return 1;
      }
      if (!chat) {
        out.print(prompt);
      }
      try (InferenceSession session = lm.newSession(options)) {
        long t0 = System.nanoTime();
        session.prefill(tokens);
        long t1 = System.nanoTime();
        Utf8Assembler text = new Utf8Assembler();
        int produced = session.generate(new Sampler(sampling, lm.config().vocabSize()), maxTokens, tokenizer.endOfGeneration(), token -> {
          if (!tokenizer.endOfGeneration().contains(token)) {
            out.print(text.append(tokenizer.tokenBytes(token)));
            out.flush();
          }
          return true;
        });
        long t2 = System.nanoTime();
        out.print(text.flush());
        out.println();
        out.flush();
        err.printf(Locale.ROOT, "prompt: %d tokens in %.1f ms (%.0f tokens/s); generated: %d tokens in %.1f ms (%.1f tokens/s)%n",
            tokens.length, (t1 - t0) / 1e6, tokens.length / ((t1 - t0) / 1e9), produced, (t2 - t1) / 1e6, produced / ((t2 - t1) / 1e9));
      }
    }
    return 0;
  }

  /** The runtime's fields, as this command's options call them. */
  private static final String[][] OPTION_NAMES = {
    {"temperature", "--temperature"}, {"topK", "--top-k"}, {"topP", "--top-p"}, {"minP", "--min-p"},
    {"repetitionPenalty", "--repeat-penalty"}, {"contextLength", "--context"}, {"threads", "--threads"},
  };

  private static IllegalArgumentException namingTheOption(IllegalArgumentException e) {
    String message = String.valueOf(e.getMessage());
    for (String[] name : OPTION_NAMES) {
      if (message.startsWith(name[0] + " ")) {
        return new IllegalArgumentException(name[1] + message.substring(name[0].length()), e);
      }
    }
    return e;
  }
}
