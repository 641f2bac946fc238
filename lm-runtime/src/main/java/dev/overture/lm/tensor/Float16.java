package dev.overture.lm.tensor;

/**
 * IEEE 754 half precision and bfloat16 conversions.
 *
 * <p>Written out by hand because {@code Float.float16ToFloat} only exists from Java 20 and is
 * missing on Android.
 */
public final class Float16 {
  private Float16() {}

  /** Converts half-precision bits (the low 16 bits of {@code bits}) to a float, exactly. */
  public static float toFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      // Subnormal half: value = mant * 2^-24.
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Converts a float to half-precision bits with round-to-nearest-even, as ggml does. */
  public static short fromFloat(float value) {
    int f = Float.floatToRawIntBits(value);
    int sign = (f >>> 16) & 0x8000;
    int exp = (f >>> 23) & 0xff;
    int mant = f & 0x7fffff;
    if (exp == 0xff) {
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      mant |= 0x800000;
      int shift = 14 - e;
      int half = mant >> shift;
      int rem = mant & ((1 << shift) - 1);
      int mid = 1 << (shift - 1);
      if (rem > mid || (rem == mid && (half & 1) != 0)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
      half++; // may carry into the exponent, which is the correct rounding
    }
    return (short) (sign | half);
  }

  /** Converts bfloat16 bits (the low 16 bits of {@code bits}) to a float, exactly. */
  public static float bf16ToFloat(int bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** Converts a float to bfloat16 bits with round-to-nearest-even (NaN stays NaN). */
  public static short floatToBf16(float value) {
    int f = Float.floatToRawIntBits(value);
    if ((f & 0x7fffffff) > 0x7f800000) {
      return (short) ((f >>> 16) | 0x40);
    }
    return (short) ((f + 0x7fff + ((f >>> 16) & 1)) >>> 16);
  }
}
