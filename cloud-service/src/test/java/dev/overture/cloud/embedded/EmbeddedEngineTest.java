package dev.overture.cloud.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.overture.cloud.engine.ContextTooLargeException;
import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.OpenerScore;
import dev.overture.cloud.testing.SyntheticModels;
import dev.overture.lm.InferenceSession;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.SessionOptions;
import dev.overture.lm.chat.ChatFormat;
import dev.overture.lm.chat.ChatMessage;
import dev.overture.lm.tokenizer.Tokenizer;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import dev.overture.protocol.Words;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** The embedded engine on a tiny synthetic MoE model. */
class EmbeddedEngineTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ConversationContext CONTEXT =
      new ConversationContext(
          List.of(new HistoryItem(Role.USER, "hi"), new HistoryItem(Role.ASSISTANT, "hello there")),
          "do you like music");

  @TempDir static Path directory;
  static Path model;
  static LanguageModel reference;
  static Tokenizer tokenizer;
  static ChatFormat format;

  @BeforeAll
  static void writeModel() throws IOException {
    model = SyntheticModels.write(directory);
    reference = LanguageModel.load(model);
    tokenizer = reference.tokenizer();
    format = ChatFormat.fromGguf(reference.file().metadata(), tokenizer);
  }

  @AfterAll
  static void closeModel() throws IOException {
    reference.close();
  }

  @Test
  void startLoadsTheModelInTheBackground() throws InterruptedException {
    EmbeddedEngine engine = EmbeddedEngine.start(SyntheticModels.greedy(model, 2));
    try {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!engine.ready() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(engine.ready()).isTrue();
      assertThat(engine.modelId()).isEqualTo("tiny-moe");
      assertThat(engine.kind()).isEqualTo("embedded");
    } finally {
      engine.close();
    }
  }

  @Test
  void aMissingModelFileLeavesTheEngineNotReadyAndSaysWhy() throws InterruptedException {
    EmbeddedEngine engine = EmbeddedEngine.start(SyntheticModels.greedy(directory.resolve("absent.gguf"), 2));
    try {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (engine.loadFailure() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(engine.ready()).isFalse();
      assertThat(engine.loadFailure()).hasMessageContaining("model file not found");
    } finally {
      engine.close();
    }
  }

  @Test
  void scoresEachOpenerWordWithItsTokensLogProbability() throws IOException {
    List<String> words = List.of("e", " t", " a");
    int[] bare = format.encodeContinuation(tokenizer, messages(""));
    int[] full = format.encodeContinuation(tokenizer, messages("e t a"));
    // Fixture: each of these words is exactly one token after the assistant header.
    assertThat(full).hasSize(bare.length + 3).startsWith(bare);
    float[] expected = new float[3];
    try (InferenceSession session = reference.newSession(SessionOptions.defaults().withContextLength(256))) {
      float[] logits = session.prefill(bare);
      for (int i = 0; i < 3; i++) {
        int token = full[bare.length + i];
        expected[i] = logSoftmax(logits, token);
        logits = session.decode(token);
      }
    }
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2));
        EngineConversation conversation = engine.open("c")) {
      OpenerScore score = conversation.scoreOpener(CONTEXT, words).block(WAIT);
      assertThat(score.words()).isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        assertThat(score.wordLogProbability(i)).isCloseTo(expected[i], within(1e-3f));
      }
    }
  }

  @Test
  void aContinuationAfterAWordNeverGluesOntoIt() throws IOException {
    String prefix = prefixWhoseNextTokenWouldGlue();
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2));
        EngineConversation conversation = engine.open("c")) {
      String text = text(conversation.continueReply(new ContinuationRequest(CONTEXT, prefix, 6)).collectList().block(WAIT));
      assertThat(text).isNotEmpty();
      assertThat(Character.isLetterOrDigit(text.codePointAt(0))).as("first character of '%s'", text).isFalse();
    }
  }

  @Test
  void theFirstTokenIsPickedWithGluingTokensMaskedOut() throws IOException {
    AtomicReference<float[]> firstLogits = new AtomicReference<>();
    int[] script = withEnd(tokenizer.encode("ok then"));
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2), m -> scripted(script, firstLogits));
        EngineConversation conversation = engine.open("c")) {
      conversation.continueReply(new ContinuationRequest(CONTEXT, "I love", 8)).collectList().block(WAIT);
    }
    float[] logits = firstLogits.get();
    for (int token = 0; token < logits.length; token++) {
      byte[] bytes = tokenizer.tokenBytes(token);
      boolean glues = !tokenizer.isSpecial(token) && bytes.length > 0 && Character.isLetterOrDigit(bytes[0]);
      if (glues) {
        assertThat(logits[token]).as("token %d '%s'", token, tokenizer.tokenText(token)).isEqualTo(Float.NEGATIVE_INFINITY);
      }
    }
    assertThat(logits[tokenizer.encode("ok")[0]]).as("a token that starts a new word").isFinite();
  }

  @Test
  void aRepeatedLastOpenerWordIsDropped() throws IOException {
    int[] script = withEnd(tokenizer.encode("electronic music."));
    assertThat(bytesOf(script)).isEqualTo(" electronic music."); // fixture
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2), m -> scripted(script, null));
        EngineConversation conversation = engine.open("c")) {
      String text = text(conversation.continueReply(new ContinuationRequest(CONTEXT, "I love electronic", 16)).collectList().block(WAIT));
      assertThat(text).isEqualTo(" music.");
    }
  }

  @Test
  void aTokenThatWouldLeaveTheTextMalformedUtf8IsPickedAgain() throws IOException {
    int stray = tokenSpelling(new byte[] {(byte) 0xA9});
    int[] caf = tokenizer.encode(" caf");
    int[] rest = tokenizer.encode("é.");
    int[] script = new int[caf.length + 1 + rest.length + 1];
    System.arraycopy(caf, 0, script, 0, caf.length);
    script[caf.length] = stray; // a continuation byte with no character to continue
    System.arraycopy(rest, 0, script, caf.length + 1, rest.length);
    script[script.length - 1] = tokenizer.endOfGeneration().iterator().next();
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2), m -> scripted(script, null));
        EngineConversation conversation = engine.open("c")) {
      String text = text(conversation.continueReply(new ContinuationRequest(CONTEXT, "I like the", 16)).collectList().block(WAIT));
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      for (int t : caf) {
        expected.writeBytes(tokenizer.tokenBytes(t));
      }
      for (int t : rest) {
        expected.writeBytes(tokenizer.tokenBytes(t));
      }
      assertThat(text).isEqualTo(expected.toString(StandardCharsets.UTF_8)).doesNotContain("\uFFFD");
    }
  }

  @Test
  void deltasAreWholeWordsWithTheirLeadingSeparator() throws IOException {
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2));
        EngineConversation conversation = engine.open("c")) {
      List<ContinuationChunk> chunks =
          conversation.continueReply(new ContinuationRequest(CONTEXT, "Sure,", 24)).collectList().block(WAIT);
      List<String> words = chunks.stream().map(ContinuationChunk::text).filter(t -> !t.isEmpty()).toList();
      assertThat(words).isNotEmpty();
      for (String word : words) {
        assertThat(Words.count(word)).as("'%s'", word).isLessThanOrEqualTo(1);
      }
      for (String word : words.subList(1, words.size())) {
        assertThat(Character.isWhitespace(word.charAt(0))).as("'%s' starts a new word", word).isTrue();
      }
    }
  }

  @Test
  void generationEndsAtAnEndOfGenerationToken() throws IOException {
    int[] script = withEnd(tokenizer.encode("fine."));
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2), m -> scripted(script, null));
        EngineConversation conversation = engine.open("c")) {
      List<ContinuationChunk> chunks =
          conversation.continueReply(new ContinuationRequest(CONTEXT, "I am", 50)).collectList().block(WAIT);
      assertThat(text(chunks)).isEqualTo(" fine.");
      ContinuationChunk last = chunks.get(chunks.size() - 1);
      assertThat(last.completionTokens()).isEqualTo(script.length - 1);
      assertThat(last.promptTokens()).isPositive();
      assertThat(last.cutShort()).as("the model ended its turn").isFalse();
    }
  }

  @Test
  void generationEndsAtTheTokenLimit() throws IOException {
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2), m -> (l, h, n) -> tokenizer.encode("la")[0]);
        EngineConversation conversation = engine.open("c")) {
      List<ContinuationChunk> chunks =
          conversation.continueReply(new ContinuationRequest(CONTEXT, "I am", 5)).collectList().block(WAIT);
      assertThat(chunks.get(chunks.size() - 1).completionTokens()).isEqualTo(5);
      assertThat(chunks.get(chunks.size() - 1).cutShort()).as("the token limit ended the reply").isTrue();
    }
  }

  @Test
  void cancellingStopsGenerationWithinOneToken() throws Exception {
    AtomicInteger picks = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    int token = tokenizer.encode("la")[0];
    TokenPicker picker =
        (logits, history, length) -> {
          if (picks.incrementAndGet() == 3) {
            third.countDown();
            await(release);
          }
          return token;
        };
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2), m -> picker);
        EngineConversation conversation = engine.open("c")) {
      Disposable reply = conversation.continueReply(new ContinuationRequest(CONTEXT, "I am", 100)).subscribe();
      assertThat(third.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      reply.dispose();
      release.countDown();
      Thread.sleep(300);
      assertThat(picks.get()).isEqualTo(3);
    }
  }

  @Test
  void theStreamedContextIsReusedWhenTheOpenerIsCommitted() throws IOException {
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2));
        EngineConversation conversation = engine.open("c")) {
      conversation.updateContext(new ConversationContext(CONTEXT.history(), "do you"));
      conversation.updateContext(CONTEXT);
      conversation.scoreOpener(CONTEXT, List.of("e", " t", " a")).block(WAIT);
      List<ContinuationChunk> chunks =
          conversation.continueReply(new ContinuationRequest(CONTEXT, "e t a", 3)).collectList().block(WAIT);
      ContinuationChunk last = chunks.get(chunks.size() - 1);
      int bare = format.encodeContinuation(tokenizer, messages("")).length;
      assertThat(last.cachedPromptTokens()).isGreaterThanOrEqualTo(bare - 2).isLessThan(last.promptTokens());
    }
  }

  @Test
  void aConversationWhoseCacheWasTakenPrefillsAgainAndAnswersTheSame() throws IOException {
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 1));
        EngineConversation first = engine.open("first");
        EngineConversation second = engine.open("second")) {
      ContinuationRequest request = new ContinuationRequest(CONTEXT, "Sure,", 6);
      first.updateContext(CONTEXT);
      List<ContinuationChunk> before = first.continueReply(request).collectList().block(WAIT);
      second.scoreOpener(CONTEXT, List.of("e")).block(WAIT); // the only cache moves to the second
      List<ContinuationChunk> after = first.continueReply(request).collectList().block(WAIT);
      assertThat(engine.cacheEvictions()).as("taken from the first, then back from the second").isEqualTo(2);
      assertThat(before.get(before.size() - 1).cachedPromptTokens()).isPositive();
      assertThat(after.get(after.size() - 1).cachedPromptTokens()).isZero();
      assertThat(text(after)).isEqualTo(text(before));
    }
  }

  @Test
  void aConversationTooLongForTheContextIsTheClientsContextTooLargeNotAnEngineFailure() throws IOException {
    ConversationContext huge = new ConversationContext(List.of(), "word ".repeat(400));
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2));
        EngineConversation conversation = engine.open("c")) {
      assertThatThrownBy(() -> conversation.continueReply(new ContinuationRequest(huge, "", 4)).blockLast(WAIT))
          .isInstanceOf(ContextTooLargeException.class);
    }
  }

  /** What the window check says of a user text and opener, with no history; null if they fit. */
  private static ContextTooLargeException windowCheck(String userText, String opener) throws IOException {
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2))) {
      ContextTooLargeException refused = catchThrowableOfType(ContextTooLargeException.class,
          () -> engine.requireFits(new ConversationContext(List.of(), userText), opener));
      assertThat(engine.liveCaches()).as("no engine work").isZero();
      return refused;
    }
  }

  @Test
  void aConversationTooLongForTheContextIsRefusedBeforeAnyEngineWork() throws IOException {
    assertThat(windowCheck("word ".repeat(400), "Sure,")).hasMessageContaining("context holds 256");
  }

  @Test
  void aTextTooLongForAnyTokenizationIsRefusedWithoutTokenizingIt() throws IOException {
    assertThat(windowCheck("word ".repeat(4000), "")).hasMessageContaining("needs at least");
  }

  @Test
  void aShortTextOfManyTokensIsRefusedByItsExactTokenCount() throws IOException {
    assertThat(windowCheck("!".repeat(400), "")).isNotNull().hasMessageNotContaining("at least");
  }

  @Test
  void historyDoesNotCountAgainstTheWindowBecauseItIsDroppedFirst() throws IOException {
    List<HistoryItem> history = List.of(new HistoryItem(Role.USER, "word ".repeat(400)));
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2))) {
      assertThatCode(() -> engine.requireFits(new ConversationContext(history, "Hi"), "Sure,")).doesNotThrowAnyException();
    }
  }

  @Test
  void theAnnouncedCharacterLimitIsTheWindowLessTheReplyAndTheTemplate() throws IOException {
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2))) {
      int template = format.encodeContinuation(tokenizer, List.of(ChatMessage.user(""), ChatMessage.assistant(""))).length;
      assertThat(engine.maxContextChars()).isEqualTo(256 - 64 - template);
      String longest = "a".repeat(engine.maxContextChars());
      assertThatCode(() -> engine.requireFits(new ConversationContext(List.of(), longest), "")).doesNotThrowAnyException();
    }
  }

  /** A prefix after which the model's unmasked favourite token would extend the last word. */
  private static String prefixWhoseNextTokenWouldGlue() {
    for (String prefix : List.of("Sure", "I think so", "hello", "yes it is", "electronic", "ok", "the best")) {
      int[] prompt = format.encodeContinuation(tokenizer, messages(prefix));
      try (InferenceSession session = reference.newSession(SessionOptions.defaults().withContextLength(256))) {
        float[] logits = session.prefill(prompt);
        int best = 0;
        int bestNew = -1;
        for (int t = 0; t < logits.length; t++) {
          best = logits[t] > logits[best] ? t : best;
          byte[] bytes = tokenizer.tokenBytes(t);
          boolean startsNew = !tokenizer.isSpecial(t) && bytes.length > 0 && bytes[0] == ' ';
          bestNew = startsNew && (bestNew < 0 || logits[t] > logits[bestNew]) ? t : bestNew;
        }
        byte[] bytes = tokenizer.tokenBytes(best);
        boolean glues = !tokenizer.isSpecial(best) && bytes.length > 0 && Character.isLetterOrDigit(bytes[0]);
        if (glues && bestNew >= 0) {
          return prefix;
        }
      }
    }
    throw new AssertionError("fixture: no prefix whose next token would glue");
  }

  private static TokenPicker scripted(int[] script, AtomicReference<float[]> firstLogits) {
    AtomicInteger next = new AtomicInteger();
    return (logits, history, length) -> {
      if (firstLogits != null && next.get() == 0) {
        firstLogits.set(logits.clone());
      }
      return script[Math.min(next.getAndIncrement(), script.length - 1)];
    };
  }

  private static int tokenSpelling(byte[] bytes) {
    for (int t = 0; t < tokenizer.vocabSize(); t++) {
      if (Arrays.equals(tokenizer.tokenBytes(t), bytes)) {
        return t;
      }
    }
    throw new AssertionError("fixture: no token spells " + Arrays.toString(bytes));
  }

  private static int[] withEnd(int[] tokens) {
    int[] script = Arrays.copyOf(tokens, tokens.length + 1);
    script[tokens.length] = tokenizer.endOfGeneration().iterator().next();
    return script;
  }

  private static String bytesOf(int[] script) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < script.length - 1; i++) {
      text.append(new String(tokenizer.tokenBytes(script[i]), StandardCharsets.UTF_8));
    }
    return text.toString();
  }

  private static List<ChatMessage> messages(String assistantPrefix) {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.user("hi"));
    messages.add(ChatMessage.assistant("hello there"));
    messages.add(ChatMessage.user("do you like music"));
    messages.add(ChatMessage.assistant(assistantPrefix));
    return messages;
  }

  private static String text(List<ContinuationChunk> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> text.append(chunk.text()));
    return text.toString();
  }

  private static float logSoftmax(float[] logits, int token) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    return (float) (logits[token] - max - Math.log(sum));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
