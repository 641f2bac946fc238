package dev.overture.lm;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufTensorInfo;
import dev.overture.lm.gguf.TensorReader;
import dev.overture.lm.kernel.Q8Layout;
import dev.overture.lm.tensor.WeightMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/** All dense weights of a model, decoded onto the heap, plus the source of its experts. */
final class ModelWeights {
  /** One transformer block. Dense FFN matrices are null in MoE layers and vice versa. */
  static final class Layer {
    final float[] attnNorm;
    final WeightMatrix wq, wk, wv, wo;
    final float[] bq, bk, bv;
    /** RMSNorm weights over the whole Q and K projections (OLMoE), or null. */
    final float[] qNorm, kNorm;
    final float[] ffnNorm;
    final WeightMatrix gate, up, down;
    final WeightMatrix router;
    /** qwen2moe's shared expert: gate input vector and SwiGLU matrices, or null. */
    final float[] sharedGateInput;
    final WeightMatrix sharedGate, sharedUp, sharedDown;

    Layer(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
        float[] bq, float[] bk, float[] bv, float[] qNorm, float[] kNorm, float[] ffnNorm,
        WeightMatrix gate, WeightMatrix up, WeightMatrix down, WeightMatrix router,
        float[] sharedGateInput, WeightMatrix sharedGate, WeightMatrix sharedUp, WeightMatrix sharedDown) {
      this.attnNorm = attnNorm;
      this.wq = wq;
      this.wk = wk;
      this.wv = wv;
      this.wo = wo;
      this.bq = bq;
      this.bk = bk;
      this.bv = bv;
      this.qNorm = qNorm;
      this.kNorm = kNorm;
      this.ffnNorm = ffnNorm;
      this.gate = gate;
      this.up = up;
      this.down = down;
      this.router = router;
      this.sharedGateInput = sharedGateInput;
      this.sharedGate = sharedGate;
      this.sharedUp = sharedUp;
      this.sharedDown = sharedDown;
    }
  }

  final WeightMatrix tokenEmbedding;
  final Layer[] layers;
  final float[] outputNorm;
  final WeightMatrix output;
  final boolean tiedEmbeddings;
  final ExpertSource experts;

  private ModelWeights(WeightMatrix tokenEmbedding, Layer[] layers, float[] outputNorm, WeightMatrix output,
      boolean tiedEmbeddings, ExpertSource experts) {
    this.tokenEmbedding = tokenEmbedding;
    this.layers = layers;
    this.outputNorm = outputNorm;
    this.output = output;
    this.tiedEmbeddings = tiedEmbeddings;
    this.experts = experts;
  }

  long denseHeapBytes() {
    long sum = tokenEmbedding.heapBytes() + (tiedEmbeddings ? 0 : output.heapBytes());
    for (Layer l : layers) {
      sum += l.wq.heapBytes() + l.wk.heapBytes() + l.wv.heapBytes() + l.wo.heapBytes();
      if (l.gate != null) {
        sum += l.gate.heapBytes() + l.up.heapBytes() + l.down.heapBytes();
      }
      if (l.router != null) {
        sum += l.router.heapBytes();
      }
      if (l.sharedGate != null) {
        sum += l.sharedGate.heapBytes() + l.sharedUp.heapBytes() + l.sharedDown.heapBytes();
      }
    }
    return sum;
  }

  static ModelWeights load(GgufFile file, ModelConfig c, Q8Layout layout) throws GgufFormatException {
    int dim = c.embeddingLength();
    WeightMatrix embedding = matrix(file, layout, "token_embd.weight", c.vocabSize(), dim);
    Layer[] layers = new Layer[c.blockCount()];
    for (int i = 0; i < layers.length; i++) {
      String p = "blk." + i + ".";
      boolean moe = c.isMoe();
      boolean shared = c.sharedExpertFeedForwardLength() > 0;
      layers[i] = new Layer(
          vector(file, p + "attn_norm.weight", dim),
          matrix(file, layout, p + "attn_q.weight", c.queryDim(), dim),
          matrix(file, layout, p + "attn_k.weight", c.kvDim(), dim),
          matrix(file, layout, p + "attn_v.weight", c.kvDim(), dim),
          matrix(file, layout, p + "attn_output.weight", dim, c.queryDim()),
          optionalVector(file, p + "attn_q.bias", c.queryDim()),
          optionalVector(file, p + "attn_k.bias", c.kvDim()),
          optionalVector(file, p + "attn_v.bias", c.kvDim()),
          c.normalizesQueriesAndKeys() ? vector(file, p + "attn_q_norm.weight", c.queryDim()) : null,
          c.normalizesQueriesAndKeys() ? vector(file, p + "attn_k_norm.weight", c.kvDim()) : null,
          vector(file, p + "ffn_norm.weight", dim),
          moe ? null : matrix(file, layout, p + "ffn_gate.weight", c.feedForwardLength(), dim),
          moe ? null : matrix(file, layout, p + "ffn_up.weight", c.feedForwardLength(), dim),
          moe ? null : matrix(file, layout, p + "ffn_down.weight", dim, c.feedForwardLength()),
          moe ? matrix(file, layout, p + "ffn_gate_inp.weight", c.expertCount(), dim) : null,
          shared ? vector(file, p + "ffn_gate_inp_shexp.weight", dim) : null,
          shared ? matrix(file, layout, p + "ffn_gate_shexp.weight", c.sharedExpertFeedForwardLength(), dim) : null,
          shared ? matrix(file, layout, p + "ffn_up_shexp.weight", c.sharedExpertFeedForwardLength(), dim) : null,
          shared ? matrix(file, layout, p + "ffn_down_shexp.weight", dim, c.sharedExpertFeedForwardLength()) : null);
    }
    Optional<GgufTensorInfo> out = file.tensor("output.weight");
    WeightMatrix output = out.isPresent() ? matrix(file, layout, "output.weight", c.vocabSize(), dim) : embedding;
    ExpertSource experts = c.isMoe() ? new GgufExpertSource(file, c, layout, TensorReader.mapped(file)) : null;
    return new ModelWeights(embedding, layers, vector(file, "output_norm.weight", dim), output, !out.isPresent(), experts);
  }

  static WeightMatrix matrix(GgufFile file, Q8Layout layout, String name, int rows, int cols) throws GgufFormatException {
    GgufTensorInfo t = file.requireTensor(name);
    long[] s = t.shape();
    long fileRows = 1;
    for (int i = 1; i < s.length; i++) {
      fileRows *= s[i];
    }
    if (s[0] != cols || fileRows != rows) {
      throw new GgufFormatException(file.path() + ": tensor " + name + " has shape " + java.util.Arrays.toString(s)
          + ", expected [" + cols + ", " + rows + "]");
    }
    return decode(file, t, file.tensorData(t), rows, cols, layout);
  }

  static WeightMatrix decode(GgufFile file, GgufTensorInfo t, ByteBuffer data, int rows, int cols, Q8Layout layout)
      throws GgufFormatException {
    try {
      return WeightMatrix.decode(t.type(), data, rows, cols, layout);
    } catch (IllegalArgumentException e) {
      throw new GgufFormatException(file.path() + ": tensor " + t.name() + ": " + e.getMessage());
    }
  }

  static float[] vector(GgufFile file, String name, int n) throws GgufFormatException {
    GgufTensorInfo t = file.requireTensor(name);
    if (t.elementCount() != n) {
      throw new GgufFormatException(file.path() + ": tensor " + name + " has " + t.elementCount() + " values, expected " + n);
    }
    float[] out = new float[n];
    if (t.type() == GgmlType.F32) {
      file.tensorData(t).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    } else {
      decode(file, t, file.tensorData(t), 1, n, Q8Layout.ROWS).copyRow(0, out, 0);
    }
    return out;
  }

  private static float[] optionalVector(GgufFile file, String name, int n) throws GgufFormatException {
    return file.tensor(name).isPresent() ? vector(file, name, n) : null;
  }
}
