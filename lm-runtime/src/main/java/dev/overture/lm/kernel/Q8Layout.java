package dev.overture.lm.kernel;

/**
 * How a matrix of 8-bit blocks is laid out on the heap. Both layouts hold the same bytes and give
 * the same products; {@link Kernels#q8Layout()} says which one a kernel set multiplies fastest.
 */
public enum Q8Layout {
  /**
   * Row-major, as in the GGUF file: each output row's blocks are contiguous and a product is one
   * {@link Kernels#dotQ8} per row. Best where the kernels have a fast horizontal int8 dot product.
   */
  ROWS,
  /**
   * Column-major: value {@code (r, c)} at {@code c * rows + r}, and the block scale of row
   * {@code r}, block {@code b} at {@code b * rows + r}. A product is a sequence of {@link
   * Kernels#axpyQ8} calls down the columns, plain loops that HotSpot's auto-vectorizer compiles to
   * SIMD code where it leaves byte dot products scalar.
   */
  COLUMNS
}
