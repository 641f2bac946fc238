package dev.overture.lm;

import dev.overture.lm.kernel.Kernels;
import dev.overture.lm.tensor.Activation;
import dev.overture.lm.tensor.WeightMatrix;

/**
 * The transformer computation for one session: embeddings, attention over the KV cache, dense or
 * Mixture-of-Experts feed-forward, and logits, for a chunk of up to {@code batch} tokens at once.
 *
 * <p>Every buffer is allocated here, once, so that decoding allocates nothing per token. Thread
 * ownership: one owner thread drives it; {@link WorkerPool} threads only run the range tasks.
 */
final class ForwardPass implements AutoCloseable {
  private final ModelConfig c;
  private final ModelWeights w;
  private final Kernels k;
  private final WorkerPool pool;
  private final ExpertProvider expertProvider;
  final int contextLength;
  final int batch;

  final float[][] keyCache;
  final float[][] valueCache;

  private final float[] x;
  private final Activation xn;
  private final float[] q;
  private final float[] kNew;
  private final float[] vNew;
  private final Activation attOut;
  private final float[] proj;
  private final float[] gate;
  private final float[] up;
  private final Activation hidden;
  /** The shared expert's hidden activation (qwen2moe), whose width differs from the routed experts'; null without one. */
  private final Activation sharedHidden;
  private final float[][] scores;
  private final float[] ropeCos;
  private final float[] ropeSin;
  private float[] logits;

  // Mixture-of-Experts scratch.
  private final float[] routerLogits;
  private final float[] routerProbs;
  private final int[] chosen;
  private final float[] chosenWeight;
  private final int[] expertTokenCount;
  private final int[] expertTokens;
  private final float[] expertTokenWeight;
  private final Activation gathered;
  private final float[] moeOut;
  private final int[] usedExperts;
  private final int[] observedExperts;
  private final float[] observedWeights;
  private RoutingObserver observer;
  private ExpertRouter router = ExpertRouter.exact();
  private final int[] picked;
  private final float[] predictedLogits;
  private final float[] predictedProbs;

  // Arguments of the task running on the pool (written by the owner before dispatch).
  private WeightMatrix taskMatrix;
  private Activation taskInput;
  private float[] taskOutput;
  private int taskLayer;
  private int taskStart;
  private int taskTokens;
  private final WorkerPool.RangeTask matmulTask = this::matmulRange;
  private final WorkerPool.RangeTask attentionTask = this::attentionRange;

  ForwardPass(ModelConfig c, ModelWeights w, Kernels k, ExpertProvider expertProvider, int contextLength, int batch, int threads) {
    this.c = c;
    this.w = w;
    this.k = k;
    this.expertProvider = expertProvider;
    this.contextLength = contextLength;
    this.batch = batch;
    int dim = c.embeddingLength();
    int ff = c.isMoe() ? c.expertFeedForwardLength() : c.feedForwardLength();
    int sharedFf = c.sharedExpertFeedForwardLength();
    long perLayer = (long) contextLength * c.kvDim();
    if (perLayer > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a context of " + contextLength + " tokens needs " + perLayer
          + " KV values per layer, more than one Java array holds: use a shorter context");
    }
    keyCache = new float[c.blockCount()][(int) perLayer];
    valueCache = new float[c.blockCount()][(int) perLayer];
    x = new float[batch * dim];
    xn = new Activation(batch, dim);
    q = new float[batch * c.queryDim()];
    kNew = new float[batch * c.kvDim()];
    vNew = new float[batch * c.kvDim()];
    attOut = new Activation(batch, c.queryDim());
    proj = new float[batch * dim];
    gate = new float[batch * Math.max(ff, sharedFf)];
    up = new float[batch * Math.max(ff, sharedFf)];
    hidden = new Activation(batch, ff);
    sharedHidden = sharedFf > 0 ? new Activation(batch, sharedFf) : null;
    scores = new float[threads][contextLength];
    logits = new float[c.vocabSize()];
    int half = c.ropeDimension() / 2;
    ropeCos = new float[contextLength * half];
    ropeSin = new float[contextLength * half];
    for (int p = 0; p < contextLength; p++) {
      for (int i = 0; i < half; i++) {
        double freq = Math.pow(c.ropeTheta(), -2.0 * i / c.ropeDimension());
        double angle = p * freq;
        ropeCos[p * half + i] = (float) Math.cos(angle);
        ropeSin[p * half + i] = (float) Math.sin(angle);
      }
    }
    int experts = Math.max(1, c.expertCount());
    routerLogits = new float[batch * experts];
    routerProbs = new float[experts];
    chosen = new int[batch * Math.max(1, c.expertUsedCount())];
    chosenWeight = new float[chosen.length];
    picked = new int[Math.max(1, c.expertUsedCount())];
    predictedLogits = new float[batch * experts];
    predictedProbs = new float[experts];
    expertTokenCount = new int[experts];
    expertTokens = new int[experts * batch];
    expertTokenWeight = new float[experts * batch];
    gathered = c.isMoe() ? new Activation(batch, dim) : null;
    moeOut = c.isMoe() ? new float[batch * dim] : null;
    usedExperts = new int[experts];
    observedExperts = new int[Math.max(1, c.expertUsedCount())];
    observedWeights = new float[observedExperts.length];
    // Last: its threads start at once, and would leak if an allocation above failed.
    this.pool = new WorkerPool(threads, "overture-lm");
  }

  void setExpertRouter(ExpertRouter router) {
    this.router = router == null ? ExpertRouter.exact() : router;
  }

  void setRoutingObserver(RoutingObserver observer) {
    this.observer = observer;
  }

  /**
   * Runs {@code n <= batch} tokens at positions {@code start..start+n-1}. When {@code allLogits},
   * returns logits of every token ({@code n * vocab}); otherwise of the last token only. The
   * returned array is owned by this object and overwritten by the next call.
   */
  float[] forward(int[] tokens, int offset, int n, int start, boolean allLogits) {
    int dim = c.embeddingLength();
    for (int t = 0; t < n; t++) {
      int token = tokens[offset + t];
      if (token < 0 || token >= c.vocabSize()) {
        throw new IllegalArgumentException("token id " + token + " outside the vocabulary [0, " + c.vocabSize() + ")");
      }
      w.tokenEmbedding.copyRow(token, x, t * dim);
    }
    for (int l = 0; l < c.blockCount(); l++) {
      ModelWeights.Layer layer = w.layers[l];
      normalize(layer.attnNorm, n);
      matmul(layer.wq, xn, q);
      matmul(layer.wk, xn, kNew);
      matmul(layer.wv, xn, vNew);
      addBias(layer.bq, q, n);
      addBias(layer.bk, kNew, n);
      addBias(layer.bv, vNew, n);
      int kvDim = c.kvDim();
      if (layer.qNorm != null) {
        for (int t = 0; t < n; t++) {
          rmsNorm(q, t * c.queryDim(), layer.qNorm, q, t * c.queryDim(), c.queryDim());
          rmsNorm(kNew, t * kvDim, layer.kNorm, kNew, t * kvDim, kvDim);
        }
      }
      for (int t = 0; t < n; t++) {
        rotate(q, t * c.queryDim(), c.headCount(), start + t);
        rotate(kNew, t * kvDim, c.headCountKv(), start + t);
      }
      System.arraycopy(kNew, 0, keyCache[l], start * kvDim, n * kvDim);
      System.arraycopy(vNew, 0, valueCache[l], start * kvDim, n * kvDim);
      taskLayer = l;
      taskStart = start;
      taskTokens = n;
      attOut.setRows(n);
      pool.forRange(n * c.headCount(), attentionTask);
      attOut.changed();
      matmul(layer.wo, attOut, proj);
      addInto(x, proj, n * dim);
      normalize(layer.ffnNorm, n);
      if (layer.router == null) {
        swiglu(layer.gate, layer.up, layer.down, xn, n);
        addInto(x, proj, n * dim);
      } else {
        mixtureOfExperts(l, layer, n, start);
        if (layer.sharedGateInput != null) {
          sharedExpert(layer, n);
        }
        addInto(x, moeOut, n * dim);
      }
    }
    int rows = allLogits ? n : 1;
    int first = allLogits ? 0 : n - 1;
    xn.setRows(rows);
    float[] xv = xn.values();
    for (int r = 0; r < rows; r++) {
      rmsNorm(x, (first + r) * dim, w.outputNorm, xv, r * dim, dim);
    }
    xn.changed();
    if (logits.length < rows * c.vocabSize()) {
      logits = new float[batch * c.vocabSize()];
    }
    matmul(w.output, xn, logits);
    return logits;
  }

  private void normalize(float[] weight, int n) {
    int dim = c.embeddingLength();
    xn.setRows(n);
    float[] out = xn.values();
    for (int t = 0; t < n; t++) {
      rmsNorm(x, t * dim, weight, out, t * dim, dim);
    }
    xn.changed();
  }

  private void rmsNorm(float[] in, int inOff, float[] weight, float[] out, int outOff, int n) {
    double ss = 0;
    for (int i = 0; i < n; i++) {
      float v = in[inOff + i];
      ss += v * v;
    }
    float scale = (float) (1.0 / Math.sqrt(ss / n + c.rmsEpsilon()));
    for (int i = 0; i < n; i++) {
      out[outOff + i] = in[inOff + i] * scale * weight[i];
    }
  }

  /** {@code out[t * m.rows() + r] = m[r] . in[t]}, rows split over the pool. */
  private void matmul(WeightMatrix m, Activation in, float[] out) {
    if (m.readsQuantizedInput()) {
      in.ensureQuantized();
    }
    taskMatrix = m;
    taskInput = in;
    taskOutput = out;
    pool.forRange(m.rows(), matmulTask);
  }

  private void matmulRange(int start, int end, int slice) {
    taskMatrix.multiply(k, taskInput, taskOutput, 0, taskMatrix.rows(), start, end);
  }

  private static void addBias(float[] bias, float[] v, int n) {
    if (bias == null) {
      return;
    }
    int d = bias.length;
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < d; i++) {
        v[t * d + i] += bias[i];
      }
    }
  }

  private static void addInto(float[] acc, float[] v, int n) {
    for (int i = 0; i < n; i++) {
      acc[i] += v[i];
    }
  }

  private void rotate(float[] v, int off, int heads, int pos) {
    int hd = c.headDim();
    int half = c.ropeDimension() / 2;
    int table = pos * half;
    boolean adjacent = c.ropeStyle() == ModelConfig.RopeStyle.ADJACENT_PAIRS;
    for (int h = 0; h < heads; h++) {
      int base = off + h * hd;
      for (int i = 0; i < half; i++) {
        int a = adjacent ? base + 2 * i : base + i;
        int b = adjacent ? a + 1 : base + i + half;
        float cos = ropeCos[table + i];
        float sin = ropeSin[table + i];
        float va = v[a];
        float vb = v[b];
        v[a] = va * cos - vb * sin;
        v[b] = va * sin + vb * cos;
      }
    }
  }

  /** Causal attention for items {@code token * heads + head} in {@code [from, to)}. */
  private void attentionRange(int from, int to, int slice) {
    int hd = c.headDim();
    int kvDim = c.kvDim();
    int group = c.headCount() / c.headCountKv();
    float scale = (float) (1.0 / Math.sqrt(hd));
    float[] att = scores[slice];
    float[] keys = keyCache[taskLayer];
    float[] values = valueCache[taskLayer];
    float[] out = attOut.values();
    for (int item = from; item < to; item++) {
      int t = item / c.headCount();
      int h = item % c.headCount();
      int pos = taskStart + t;
      int qOff = t * c.queryDim() + h * hd;
      int kvOff = (h / group) * hd;
      float max = Float.NEGATIVE_INFINITY;
      for (int p = 0; p <= pos; p++) {
        float s = k.dot(q, qOff, keys, p * kvDim + kvOff, hd) * scale;
        att[p] = s;
        max = Math.max(max, s);
      }
      float sum = 0;
      for (int p = 0; p <= pos; p++) {
        float e = (float) Math.exp(att[p] - max);
        att[p] = e;
        sum += e;
      }
      int o = t * c.queryDim() + h * hd;
      java.util.Arrays.fill(out, o, o + hd, 0f);
      float inv = 1f / sum;
      for (int p = 0; p <= pos; p++) {
        k.axpy(att[p] * inv, values, p * kvDim + kvOff, out, o, hd);
      }
    }
  }

  /** Dense SwiGLU over {@code n} rows of {@code input}; result in {@link #proj}. */
  private void swiglu(WeightMatrix g, WeightMatrix u, WeightMatrix d, Activation input, int n) {
    swiglu(g, u, d, input, n, hidden);
  }

  private void swiglu(WeightMatrix g, WeightMatrix u, WeightMatrix d, Activation input, int n, Activation hidden) {
    matmul(g, input, gate);
    matmul(u, input, up);
    int ff = g.rows();
    hidden.setRows(n);
    float[] hv = hidden.values();
    for (int i = 0; i < n * ff; i++) {
      float a = gate[i];
      hv[i] = a / (1f + (float) Math.exp(-a)) * up[i];
    }
    hidden.changed();
    matmul(d, hidden, proj);
  }

  private void mixtureOfExperts(int l, ModelWeights.Layer layer, int n, int start) {
    int experts = c.expertCount();
    int used = c.expertUsedCount();
    int dim = c.embeddingLength();
    matmul(layer.router, xn, routerLogits);
    predictNextLayer(l, n);
    java.util.Arrays.fill(expertTokenCount, 0);
    for (int t = 0; t < n; t++) {
      route(l, routerLogits, t * experts, t * used);
      for (int j = 0; j < used; j++) {
        int e = chosen[t * used + j];
        if (e < 0) {
          continue; // an adaptive router chose fewer experts for this token
        }
        int slot = e * batch + expertTokenCount[e]++;
        expertTokens[slot] = t;
        expertTokenWeight[slot] = chosenWeight[t * used + j];
      }
      if (observer != null) {
        System.arraycopy(chosen, t * used, observedExperts, 0, used);
        System.arraycopy(chosenWeight, t * used, observedWeights, 0, used);
        observer.onRouting(l, start + t, observedExperts, observedWeights, routerProbs);
      }
    }
    int active = 0;
    for (int e = 0; e < experts; e++) {
      if (expertTokenCount[e] > 0) {
        usedExperts[active++] = e;
      }
    }
    expertProvider.willUse(l, usedExperts, active);
    java.util.Arrays.fill(moeOut, 0, n * dim, 0f);
    float[] xv = xn.values();
    for (int a = 0; a < active; a++) {
      int e = usedExperts[a];
      int count = expertTokenCount[e];
      gathered.setRows(count);
      float[] gv = gathered.values();
      for (int i = 0; i < count; i++) {
        System.arraycopy(xv, expertTokens[e * batch + i] * dim, gv, i * dim, dim);
      }
      gathered.changed();
      ExpertWeights ew = expertProvider.expert(l, e);
      swiglu(ew.gate(), ew.up(), ew.down(), gathered, count);
      for (int i = 0; i < count; i++) {
        int t = expertTokens[e * batch + i];
        float wgt = expertTokenWeight[e * batch + i];
        k.axpy(wgt, proj, i * dim, moeOut, t * dim, dim);
      }
    }
  }

  /**
   * qwen2moe's always-on shared expert: a SwiGLU of its own width, scaled per token by
   * sigmoid(gate input . x) and added to the routed experts' output.
   */
  private void sharedExpert(ModelWeights.Layer layer, int n) {
    int dim = c.embeddingLength();
    swiglu(layer.sharedGate, layer.sharedUp, layer.sharedDown, xn, n, sharedHidden);
    float[] xv = xn.values();
    for (int t = 0; t < n; t++) {
      float g = k.dot(layer.sharedGateInput, 0, xv, t * dim, dim);
      k.axpy(1f / (1f + (float) Math.exp(-g)), proj, t * dim, moeOut, t * dim, dim);
    }
  }

  /**
   * The next layer's router applied to this layer's MoE input, for a provider that prefetches
   * (Fate's cross-layer gate): the residual stream changes little from one layer to the next, so
   * this predicts the next layer's experts one layer ahead.
   */
  private void predictNextLayer(int l, int n) {
    if (!expertProvider.predictsNextLayer() || l + 1 >= w.layers.length || w.layers[l + 1].router == null) {
      return;
    }
    int experts = c.expertCount();
    matmul(w.layers[l + 1].router, xn, predictedLogits);
    for (int t = 0; t < n; t++) {
      softmax(predictedLogits, t * experts, predictedProbs);
      expertProvider.predicted(l + 1, predictedProbs, c.expertUsedCount());
    }
  }

  private void softmax(float[] logitsAll, int off, float[] out) {
    int experts = out.length;
    float max = Float.NEGATIVE_INFINITY;
    for (int e = 0; e < experts; e++) {
      max = Math.max(max, logitsAll[off + e]);
    }
    float sum = 0;
    for (int e = 0; e < experts; e++) {
      float p = (float) Math.exp(logitsAll[off + e] - max);
      out[e] = p;
      sum += p;
    }
    for (int e = 0; e < experts; e++) {
      out[e] /= sum;
    }
  }

  /**
   * Softmax over the router logits, then the router's choice of experts and their mixing weights;
   * slots an adaptive router leaves empty hold -1.
   */
  private void route(int l, float[] logitsAll, int off, int outOff) {
    int used = c.expertUsedCount();
    softmax(logitsAll, off, routerProbs);
    int n = router.route(l, routerProbs, used, picked);
    if (n < 1 || n > used) {
      throw new IllegalStateException("the expert router chose " + n + " experts; it must choose 1 to " + used);
    }
    float chosenSum = 0;
    for (int j = 0; j < used; j++) {
      if (j < n) {
        int e = picked[j];
        if (e < 0 || e >= routerProbs.length) {
          throw new IllegalStateException("the expert router chose expert " + e + " of " + routerProbs.length);
        }
        for (int i = 0; i < j; i++) { // the contract says distinct: a repeat would run one expert twice
          if (picked[i] == e) {
            throw new IllegalStateException("the expert router chose expert " + e + " twice");
          }
        }
        chosen[outOff + j] = e;
        chosenWeight[outOff + j] = routerProbs[e];
        chosenSum += routerProbs[e];
      } else {
        chosen[outOff + j] = -1;
        chosenWeight[outOff + j] = 0;
      }
    }
    if (c.normalizeExpertWeights()) {
      for (int j = 0; j < n; j++) {
        chosenWeight[outOff + j] /= chosenSum;
      }
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
