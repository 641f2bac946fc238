package dev.overture.lm.gguf;

import java.io.IOException;

/**
 * A GGUF file that is corrupt, truncated or uses a feature this reader does not support, or model
 * metadata that a consumer (tokenizer, chat format, model loader) cannot use. The message names the
 * file and the byte offset or metadata key, and what was expected there.
 */
public class GgufFormatException extends IOException {
  public GgufFormatException(String message) {
    super(message);
  }

  public GgufFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
