package dev.overture.lm.tensor;

import java.nio.ByteBuffer;

/** Exact decoding of llama.cpp's 256-value super-block formats Q4_K and Q6_K into floats. */
final class KQuants {
  private static final int QK_K = 256;

  private KQuants() {}

  /** block_q4_K: half d, half dmin, 12 bytes of 6-bit scales and mins, 128 bytes of nibbles. */
  static void decodeQ4K(ByteBuffer in, int base, float[] out, int n) {
    int blocks = n / QK_K;
    byte[] scales = new byte[12];
    for (int i = 0; i < blocks; i++) {
      int p = base + i * 144;
      float d = Float16.toFloat(in.getShort(p));
      float min = Float16.toFloat(in.getShort(p + 2));
      for (int j = 0; j < 12; j++) {
        scales[j] = in.get(p + 4 + j);
      }
      int q = p + 16;
      int y = i * QK_K;
      int is = 0;
      for (int j = 0; j < QK_K; j += 64) {
        float d1 = d * scale(is, scales);
        float m1 = min * mins(is, scales);
        float d2 = d * scale(is + 1, scales);
        float m2 = min * mins(is + 1, scales);
        for (int l = 0; l < 32; l++) {
          out[y++] = d1 * (in.get(q + l) & 0x0f) - m1;
        }
        for (int l = 0; l < 32; l++) {
          out[y++] = d2 * ((in.get(q + l) & 0xff) >>> 4) - m2;
        }
        q += 32;
        is += 2;
      }
    }
  }

  private static int scale(int j, byte[] q) {
    return j < 4 ? q[j] & 63 : (q[j + 4] & 0x0f) | (((q[j - 4] & 0xff) >>> 6) << 4);
  }

  private static int mins(int j, byte[] q) {
    return j < 4 ? q[j + 4] & 63 : ((q[j + 4] & 0xff) >>> 4) | (((q[j] & 0xff) >>> 6) << 4);
  }

  /** block_q6_K: 128 bytes low nibbles, 64 bytes high bits, 16 int8 scales, half d. */
  static void decodeQ6K(ByteBuffer in, int base, float[] out, int n) {
    int blocks = n / QK_K;
    for (int i = 0; i < blocks; i++) {
      int p = base + i * 210;
      float d = Float16.toFloat(in.getShort(p + 208));
      int ql = p;
      int qh = p + 128;
      int sc = p + 192;
      int y = i * QK_K;
      for (int half = 0; half < 2; half++) {
        for (int l = 0; l < 32; l++) {
          int is = l / 16;
          int h = in.get(qh + l) & 0xff;
          int lo0 = in.get(ql + l) & 0xff;
          int lo32 = in.get(ql + l + 32) & 0xff;
          int q1 = ((lo0 & 0x0f) | ((h & 3) << 4)) - 32;
          int q2 = ((lo32 & 0x0f) | (((h >>> 2) & 3) << 4)) - 32;
          int q3 = ((lo0 >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
          int q4 = ((lo32 >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
          out[y + l] = d * in.get(sc + is) * q1;
          out[y + l + 32] = d * in.get(sc + is + 2) * q2;
          out[y + l + 64] = d * in.get(sc + is + 4) * q3;
          out[y + l + 96] = d * in.get(sc + is + 6) * q4;
        }
        y += 128;
        ql += 64;
        qh += 32;
        sc += 8;
      }
    }
  }
}
