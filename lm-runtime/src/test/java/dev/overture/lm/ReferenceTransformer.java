package dev.overture.lm;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.gguf.GgufMetadata;
import dev.overture.lm.gguf.GgufTensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The plainest possible forward pass, in double precision, written from the formulas and
 * independent of the runtime: its own dequantizer, no caches beyond a list of keys and values, no
 * batching, no threads. Tests compare the optimized runtime against it.
 */
final class ReferenceTransformer {
  private final GgufFile file;
  private final String arch;
  private final int dim, layers, heads, kvHeads, headDim, vocab, experts, used;
  private final double theta, eps;

  ReferenceTransformer(Path path) throws IOException {
    file = GgufFile.open(path);
    GgufMetadata m = file.metadata();
    arch = m.architecture();
    dim = m.getInt(arch + ".embedding_length");
    layers = m.getInt(arch + ".block_count");
    heads = m.getInt(arch + ".attention.head_count");
    kvHeads = m.getInt(arch + ".attention.head_count_kv");
    headDim = dim / heads;
    vocab = m.getStringArray("tokenizer.ggml.tokens").size();
    experts = m.has(arch + ".expert_count") ? m.getInt(arch + ".expert_count") : 0;
    used = m.has(arch + ".expert_used_count") ? m.getInt(arch + ".expert_used_count") : 0;
    theta = m.getFloat(arch + ".rope.freq_base");
    eps = m.getFloat(arch + ".attention.layer_norm_rms_epsilon");
  }

  /** Logits (vocab values) after each token of {@code tokens}. */
  double[][] logits(int[] tokens) {
    int n = tokens.length;
    double[][] x = new double[n][];
    double[][] emb = matrix("token_embd.weight");
    for (int t = 0; t < n; t++) {
      x[t] = emb[tokens[t]].clone();
    }
    for (int l = 0; l < layers; l++) {
      String p = "blk." + l + ".";
      double[][] wq = matrix(p + "attn_q.weight"), wk = matrix(p + "attn_k.weight"), wv = matrix(p + "attn_v.weight"), wo = matrix(p + "attn_output.weight");
      double[] bq = optionalVector(p + "attn_q.bias"), bk = optionalVector(p + "attn_k.bias"), bv = optionalVector(p + "attn_v.bias");
      double[] qNorm = optionalVector(p + "attn_q_norm.weight"), kNorm = optionalVector(p + "attn_k_norm.weight");
      double[][] keys = new double[n][], values = new double[n][];
      double[][] attended = new double[n][];
      for (int t = 0; t < n; t++) {
        double[] h = rmsNorm(x[t], vector(p + "attn_norm.weight"));
        double[] q = add(mul(wq, h), bq), k = add(mul(wk, h), bk);
        if (qNorm != null) { // olmoe: RMSNorm over the whole projection, before RoPE
          q = rmsNorm(q, qNorm);
          k = rmsNorm(k, kNorm);
        }
        values[t] = add(mul(wv, h), bv);
        rope(q, t);
        rope(k, t);
        keys[t] = k;
        double[] out = new double[dim];
        for (int hh = 0; hh < heads; hh++) {
          int kvh = hh / (heads / kvHeads);
          double[] s = new double[t + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int pos = 0; pos <= t; pos++) {
            double dot = 0;
            for (int i = 0; i < headDim; i++) {
              dot += q[hh * headDim + i] * keys[pos][kvh * headDim + i];
            }
            s[pos] = dot / Math.sqrt(headDim);
            max = Math.max(max, s[pos]);
          }
          double sum = 0;
          for (int pos = 0; pos <= t; pos++) {
            s[pos] = Math.exp(s[pos] - max);
            sum += s[pos];
          }
          for (int pos = 0; pos <= t; pos++) {
            for (int i = 0; i < headDim; i++) {
              out[hh * headDim + i] += s[pos] / sum * values[pos][kvh * headDim + i];
            }
          }
        }
        attended[t] = out;
      }
      for (int t = 0; t < n; t++) {
        x[t] = add(x[t], mul(wo, attended[t]));
        double[] h = rmsNorm(x[t], vector(p + "ffn_norm.weight"));
        x[t] = add(x[t], experts == 0 ? swiglu(p + "ffn_gate.weight", p + "ffn_up.weight", p + "ffn_down.weight", -1, h) : moe(p, h));
      }
    }
    double[][] out = file.tensor("output.weight").isPresent() ? matrix("output.weight") : emb;
    double[][] logits = new double[n][];
    for (int t = 0; t < n; t++) {
      logits[t] = mul(out, rmsNorm(x[t], vector("output_norm.weight")));
    }
    return logits;
  }

  private double[] moe(String p, double[] h) {
    double[] router = mul(matrix(p + "ffn_gate_inp.weight"), h);
    double max = Double.NEGATIVE_INFINITY;
    for (double v : router) {
      max = Math.max(max, v);
    }
    double[] prob = new double[experts];
    double sum = 0;
    for (int e = 0; e < experts; e++) {
      prob[e] = Math.exp(router[e] - max);
      sum += prob[e];
    }
    boolean[] taken = new boolean[experts];
    int[] chosen = new int[used];
    double chosenSum = 0;
    for (int j = 0; j < used; j++) {
      int best = -1;
      for (int e = 0; e < experts; e++) {
        if (!taken[e] && (best < 0 || prob[e] > prob[best])) {
          best = e;
        }
      }
      taken[best] = true;
      chosen[j] = best;
      chosenSum += prob[best] / sum;
    }
    double[] out = new double[dim];
    double[] sharedGate = optionalVector(p + "ffn_gate_inp_shexp.weight");
    if (sharedGate != null) { // qwen2moe: + sigmoid(gate . h) * SwiGLU_shared(h)
      double g = 0;
      for (int i = 0; i < dim; i++) {
        g += sharedGate[i] * h[i];
      }
      double[] y = swiglu(p + "ffn_gate_shexp.weight", p + "ffn_up_shexp.weight", p + "ffn_down_shexp.weight", -1, h);
      for (int i = 0; i < dim; i++) {
        out[i] = y[i] / (1 + Math.exp(-g));
      }
    }
    for (int j = 0; j < used; j++) {
      double weight = prob[chosen[j]] / sum / ("llama".equals(arch) ? chosenSum : 1.0);
      double[] y = swiglu(p + "ffn_gate_exps.weight", p + "ffn_up_exps.weight", p + "ffn_down_exps.weight", chosen[j], h);
      for (int i = 0; i < dim; i++) {
        out[i] += weight * y[i];
      }
    }
    return out;
  }

  private double[] swiglu(String gate, String up, String down, int expert, double[] h) {
    double[] g = mul(expertMatrix(gate, expert), h), u = mul(expertMatrix(up, expert), h);
    for (int i = 0; i < g.length; i++) {
      g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
    }
    return mul(expertMatrix(down, expert), g);
  }

  private void rope(double[] v, int pos) {
    boolean adjacent = "llama".equals(arch);
    for (int h = 0; h < v.length / headDim; h++) {
      for (int i = 0; i < headDim / 2; i++) {
        double angle = pos * Math.pow(theta, -2.0 * i / headDim);
        int a = h * headDim + (adjacent ? 2 * i : i);
        int b = adjacent ? a + 1 : a + headDim / 2;
        double va = v[a], vb = v[b];
        v[a] = va * Math.cos(angle) - vb * Math.sin(angle);
        v[b] = va * Math.sin(angle) + vb * Math.cos(angle);
      }
    }
  }

  private double[] rmsNorm(double[] x, double[] w) {
    double ss = 0;
    for (double v : x) {
      ss += v * v;
    }
    double s = 1 / Math.sqrt(ss / x.length + eps);
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * s * w[i];
    }
    return out;
  }

  private static double[] mul(double[][] w, double[] x) {
    double[] out = new double[w.length];
    for (int r = 0; r < w.length; r++) {
      double s = 0;
      for (int c = 0; c < x.length; c++) {
        s += w[r][c] * x[c];
      }
      out[r] = s;
    }
    return out;
  }

  private static double[] add(double[] a, double[] b) {
    if (b == null) {
      return a;
    }
    double[] out = a.clone();
    for (int i = 0; i < a.length; i++) {
      out[i] += b[i];
    }
    return out;
  }

  private double[][] matrix(String name) {
    return expertMatrix(name, -1);
  }

  /** Rows of a 2-D tensor, or of slice {@code expert} of a 3-D one. */
  private double[][] expertMatrix(String name, int expert) {
    GgufTensorInfo t = file.tensor(name).orElseThrow(() -> new AssertionError("missing " + name));
    int cols = (int) t.shape()[0];
    int rows = (int) t.shape()[1];
    double[] all = dequantize(t);
    int base = expert < 0 ? 0 : expert * rows * cols;
    double[][] m = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(all, base + r * cols, m[r], 0, cols);
    }
    return m;
  }

  private double[] vector(String name) {
    return dequantize(file.tensor(name).orElseThrow(() -> new AssertionError("missing " + name)));
  }

  private double[] optionalVector(String name) {
    Optional<GgufTensorInfo> t = file.tensor(name);
    return t.isPresent() ? dequantize(t.get()) : null;
  }

  /** Straight from the ggml block definitions. */
  private double[] dequantize(GgufTensorInfo t) {
    ByteBuffer b = file.tensorData(t).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) t.elementCount();
    double[] out = new double[n];
    GgmlType type = t.type();
    for (int i = 0; i < n; i++) {
      switch (type) {
        case F32:
          out[i] = b.getFloat(4 * i);
          break;
        case F16:
          out[i] = half(b.getShort(2 * i));
          break;
        case BF16:
          out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
          break;
        case Q8_0: {
          int block = i / 32;
          out[i] = half(b.getShort(block * 34)) * b.get(block * 34 + 2 + i % 32);
          break;
        }
        case Q4_0: {
          int block = i / 32;
          int j = i % 32;
          int packed = b.get(block * 18 + 2 + j % 16) & 0xff;
          int q = j < 16 ? packed & 0x0f : packed >> 4;
          out[i] = half(b.getShort(block * 18)) * (q - 8);
          break;
        }
        default:
          throw new AssertionError("reference does not decode " + type);
      }
    }
    return out;
  }

  /** IEEE half to double by the definition: sign, 5-bit exponent (bias 15), 10-bit fraction. */
  private static double half(short h) {
    int bits = h & 0xffff;
    int sign = bits >> 15, exp = (bits >> 10) & 0x1f, frac = bits & 0x3ff;
    double mag = exp == 0 ? frac * Math.pow(2, -24) : (1 + frac / 1024.0) * Math.pow(2, exp - 15);
    return sign == 1 ? -mag : mag;
  }
}
