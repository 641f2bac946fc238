package dev.overture.protocol.codec;

/**
 * The seam between the protocol and one Jackson line: reads JSON text into the protocol's
 * annotated records and writes them back. {@link EventCodec} does everything else (size limit,
 * syntax check, validation), so an implementation stays a few lines.
 *
 * <p>The codec passes {@link #read} only text that is exactly one syntactically valid JSON object
 * with bounded nesting, unique member names and short numbers. An implementation must bind the
 * annotations in {@code dev.overture.protocol} as declared and, so that every binding accepts and
 * rejects the same frames, must not coerce between JSON types: no string to number or boolean, no
 * number or boolean to string, no fractional or exponent number to an integer field, no null to a
 * primitive, no single value to a list. It reports every failure of its JSON library as a {@link
 * JsonBindingException} and throws nothing else.
 */
public interface JsonBinding {

  /**
   * Reads {@code json} as {@code type}: a protocol record, {@code Object} (giving {@code Map},
   * {@code List}, {@code String}, {@code Number}, {@code Boolean} or null) or {@code String}.
   */
  <T> T read(String json, Class<T> type) throws JsonBindingException;

  /** Writes {@code value} (a protocol record or a value {@link #read} can give) as compact JSON. */
  String write(Object value) throws JsonBindingException;
}
