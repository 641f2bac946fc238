package dev.overture.lm;

import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufTensorInfo;
import dev.overture.lm.gguf.TensorReader;
import dev.overture.lm.kernel.Q8Layout;
import dev.overture.lm.tensor.WeightMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Decodes experts from a GGUF file, from either layout llama.cpp writes: packed 3-D tensors
 * ({@code blk.N.ffn_gate_exps.weight} of shape {@code [dim, ff, experts]}) or one tensor per expert
 * ({@code blk.N.ffn_gate.E.weight}, older Mixtral conversions).
 */
final class GgufExpertSource implements ExpertSource {
  private final GgufFile file;
  private final ModelConfig config;
  private final Q8Layout layout;
  private final boolean packed;
  private final long expertBytes;
  private final TensorReader reader;

  GgufExpertSource(GgufFile file, ModelConfig config, Q8Layout layout, TensorReader reader) throws GgufFormatException {
    this.file = file;
    this.config = config;
    this.layout = layout;
    this.reader = reader;
    this.packed = file.tensor("blk.0.ffn_gate_exps.weight").isPresent();
    int dim = config.embeddingLength();
    int ff = config.expertFeedForwardLength();
    for (int l = 0; l < config.blockCount(); l++) {
      if (packed) {
        checkShape(tensor(l, "ffn_gate_exps"), dim, ff, config.expertCount());
        checkShape(tensor(l, "ffn_up_exps"), dim, ff, config.expertCount());
        checkShape(tensor(l, "ffn_down_exps"), ff, dim, config.expertCount());
      } else {
        for (int e = 0; e < config.expertCount(); e++) {
          checkShape(file.requireTensor("blk." + l + ".ffn_gate." + e + ".weight"), dim, ff, 1);
          checkShape(file.requireTensor("blk." + l + ".ffn_up." + e + ".weight"), dim, ff, 1);
          checkShape(file.requireTensor("blk." + l + ".ffn_down." + e + ".weight"), ff, dim, 1);
        }
      }
    }
    try {
      this.expertBytes = decode(0, 0).heapBytes();
    } catch (UncheckedIOException e) { // an expert type the runtime cannot decode: the typed error
      if (e.getCause() instanceof GgufFormatException format) {
        throw format;
      }
      throw e;
    }
  }

  private GgufTensorInfo tensor(int layer, String kind) throws GgufFormatException {
    return file.requireTensor("blk." + layer + "." + kind + ".weight");
  }

  private void checkShape(GgufTensorInfo t, long cols, long rows, long experts) throws GgufFormatException {
    long[] s = t.shape();
    long depth = s.length > 2 ? s[2] : 1;
    if (s[0] != cols || (s.length > 1 ? s[1] : 1) != rows || depth != experts) {
      throw new GgufFormatException(file.path() + ": tensor " + t.name() + " has shape " + java.util.Arrays.toString(s)
          + ", expected [" + cols + ", " + rows + (experts > 1 ? ", " + experts : "") + "]");
    }
  }

  @Override
  public int layers() {
    return config.blockCount();
  }

  @Override
  public int expertsPerLayer() {
    return config.expertCount();
  }

  @Override
  public long expertHeapBytes() {
    return expertBytes;
  }

  @Override
  public ExpertWeights decode(int layer, int expert) {
    if (layer < 0 || layer >= config.blockCount() || expert < 0 || expert >= config.expertCount()) {
      throw new IndexOutOfBoundsException("no expert " + expert + " in layer " + layer);
    }
    int dim = config.embeddingLength();
    int ff = config.expertFeedForwardLength();
    try {
      return new ExpertWeights(
          slice(layer, expert, "ffn_gate", ff, dim), slice(layer, expert, "ffn_up", ff, dim), slice(layer, expert, "ffn_down", dim, ff));
    } catch (GgufFormatException e) {
      throw new UncheckedIOException(e);
    }
  }

  private WeightMatrix slice(int layer, int expert, String kind, int rows, int cols) throws GgufFormatException {
    GgufTensorInfo t;
    long offset = 0;
    long bytes;
    if (packed) {
      t = tensor(layer, kind + "_exps");
      bytes = t.type().bytesFor((long) rows * cols);
      offset = bytes * expert;
    } else {
      t = file.requireTensor("blk." + layer + "." + kind + "." + expert + ".weight");
      bytes = t.byteSize();
    }
    ByteBuffer data;
    try {
      data = reader.read(t, offset, Math.toIntExact(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(file.name() + ": reading expert " + expert + " of layer " + layer + " failed: " + e.getMessage(), e);
    }
    return ModelWeights.decode(file, t, data, rows, cols, layout);
  }
}
