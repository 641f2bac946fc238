package dev.overture.lm.offload;

import dev.overture.lm.RoutingObserver;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The router's decisions for a run of tokens: for every token and MoE layer, the experts chosen
 * (best first) and the router's probabilities over all experts. Record one with {@link #recorder},
 * save it, and replay it through any cache with {@link CacheSimulator}, without the model.
 *
 * <p>File format (big-endian): {@code "OVRT"}, version 1, layers, experts, used, tokens (ints), then
 * the chosen experts ({@code tokens x layers x used} ints), then the probabilities ({@code tokens x
 * layers x experts} floats).
 */
public final class RoutingTrace {

  private static final int MAGIC = 0x4F565254; // "OVRT"
  private static final int HEADER_BYTES = 6 * Integer.BYTES;
  /** The most probabilities one trace holds: a Java array's bound. */
  private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private final int layers;
  private final int experts;
  private final int used;
  private int tokens;
  private int[] chosen;
  private float[] probabilities;

  public RoutingTrace(int layers, int experts, int used) {
    this.layers = layers;
    this.experts = experts;
    this.used = used;
    this.chosen = new int[1024 * layers * used];
    this.probabilities = new float[1024 * layers * experts];
  }

  public int layers() {
    return layers;
  }

  public int experts() {
    return experts;
  }

  public int used() {
    return used;
  }

  public int tokens() {
    return tokens;
  }

  /** Expert {@code k} (0 = best) chosen for {@code token} in {@code layer}; -1 for a slot left empty. */
  public int chosen(int token, int layer, int k) {
    return chosen[(token * layers + layer) * used + k];
  }

  public float probability(int token, int layer, int expert) {
    return probabilities[(token * layers + layer) * experts + expert];
  }

  /**
   * An observer to give an inference session ({@code setRoutingObserver}): every token it runs
   * through all layers is appended. Tokens are numbered by the order in which each layer sees them,
   * which is the same for every layer.
   */
  public RoutingObserver recorder() {
    int[] seen = new int[layers];
    int base = tokens;
    return (layer, position, chosenExperts, weights, probs) -> {
      int token = base + seen[layer]++;
      ensure(token + 1);
      System.arraycopy(chosenExperts, 0, chosen, (token * layers + layer) * used, used);
      System.arraycopy(probs, 0, probabilities, (token * layers + layer) * experts, experts);
      tokens = Math.max(tokens, token + 1);
    };
  }

  private void ensure(int n) {
    if (n * layers * used > chosen.length) {
      chosen = Arrays.copyOf(chosen, Math.max(chosen.length * 2, n * layers * used));
      probabilities = Arrays.copyOf(probabilities, Math.max(probabilities.length * 2, n * layers * experts));
    }
  }

  public void write(Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(MAGIC);
      out.writeInt(1);
      out.writeInt(layers);
      out.writeInt(experts);
      out.writeInt(used);
      out.writeInt(tokens);
      for (int i = 0; i < tokens * layers * used; i++) {
        out.writeInt(chosen[i]);
      }
      for (int i = 0; i < tokens * layers * experts; i++) {
        out.writeFloat(probabilities[i]);
      }
    }
  }

  public static RoutingTrace read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC || in.readInt() != 1) {
        throw new IOException(file + ": not a routing trace (version 1)");
      }
      int layers = in.readInt();
      int experts = in.readInt();
      int used = in.readInt();
      int tokens = in.readInt();
      if (layers <= 0 || experts <= 0 || used <= 0 || used > experts || tokens < 0) {
        throw new IOException(file + ": impossible header: " + layers + " layers, " + experts + " experts, top-" + used + ", " + tokens + " tokens");
      }
      // The header is checked against the file before anything is allocated: a corrupt count must
      // be an error, not an OutOfMemoryError or an overflowed index.
      long slots = (long) tokens * layers;
      long bytes = HEADER_BYTES + 4 * slots * used + 4 * slots * experts;
      long size = Files.size(file);
      if (slots * experts > MAX_VALUES || bytes != size) {
        throw new IOException(file + ": the header (" + layers + " layers, " + experts + " experts, top-" + used + ", "
            + tokens + " tokens) describes " + bytes + " bytes, but the file holds " + size);
      }
      RoutingTrace trace = new RoutingTrace(layers, experts, used);
      trace.ensure(tokens);
      for (int i = 0; i < tokens * layers * used; i++) {
        int e = in.readInt();
        if (e < -1 || e >= experts) {
          throw new IOException(file + ": expert " + e + " out of range");
        }
        trace.chosen[i] = e;
      }
      for (int i = 0; i < tokens * layers * experts; i++) {
        trace.probabilities[i] = in.readFloat();
      }
      trace.tokens = tokens;
      return trace;
    }
  }
}
