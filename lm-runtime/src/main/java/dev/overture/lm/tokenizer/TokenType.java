package dev.overture.lm.tokenizer;

/** Token types as {@code tokenizer.ggml.token_type} stores them (llama.cpp's llama_token_type). */
enum TokenType {
  UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

  private static final TokenType[] BY_ID = values();

  /** The type with id {@code id}; ids llama.cpp does not define read as UNDEFINED, as there. */
  static TokenType fromId(int id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : UNDEFINED;
  }
}
