package dev.overture.cloud.embedded;

import dev.overture.lm.LanguageModel;
import dev.overture.lm.tokenizer.Tokenizer;

/** Everything a loaded model brings, shared by all conversations. */
record LoadedModel(
    LanguageModel model,
    Tokenizer tokenizer,
    PromptRenderer prompts,
    TokenClasses tokens,
    KvCachePool caches,
    int contextLength) {

  /** Tokens of the context kept free for the reply: a quarter of it (a request may ask for fewer). */
  int replyReserve() {
    return Math.max(1, contextLength / 4);
  }
}
