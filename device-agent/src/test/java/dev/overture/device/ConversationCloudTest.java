package dev.overture.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.cloud.LocalCloudService;
import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.ForwardingConversation;
import dev.overture.cloud.engine.ForwardingEngine;
import dev.overture.cloud.engine.OpenerScore;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import dev.overture.protocol.Words;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Whole turns end to end: the agent on the bundled micro model against the real cloud service,
 * started in this JVM on a random port with the bundled MoE. One service judges openers with the
 * bundled models' recommended threshold; the other with a threshold no word meets, which forces a
 * rewind (nothing heard yet) or a repair (everything heard).
 */
class ConversationCloudTest {

  static final Path MICRO = Path.of("models/overture-micro-q8_0.gguf");
  static final String MOE = "models/overture-moe-q8_0.gguf";

  static LocalCloudService cloud;
  static LocalCloudService strictCloud;
  /** What the real cloud answered each turn from: the history and the user's text it held. */
  static final List<ConversationContext> contexts = new CopyOnWriteArrayList<>();

  OvertureAgent agent;

  @BeforeAll
  static void startClouds() {
    cloud = LocalCloudService.start(Map.of("overture.embedded.model-path", MOE, "overture.verify.min-word-logprob", "-4"), RecordingEngine::new);
    strictCloud = LocalCloudService.start(Map.of("overture.embedded.model-path", MOE, "overture.verify.min-word-logprob", "-0.000001",
        "overture.verify.min-heard-word-logprob", "-0.000001"), null);
  }

  @AfterAll
  static void stopClouds() {
    cloud.close();
    strictCloud.close();
  }

  @AfterEach
  void closeAgent() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  private Conversation open(LocalCloudService service, AgentListener listener, double speechRate, Duration grace) throws Exception {
    agent = OvertureAgent.builder().microModel(MICRO).cloud(service.url(), service.apiKey())
        .speechRate(speechRate).fallbackGrace(grace).build();
    return agent.newConversation(listener);
  }

  private static TurnResult say(Conversation conversation, String text) throws Exception {
    conversation.partialTranscript(text);
    return conversation.finalTranscript(text).get(60, TimeUnit.SECONDS);
  }

  @Test
  void turnIsOpenerThenCloudContinuationSplicedExactly() throws Exception {
    SpokenWords words = new SpokenWords();
    Conversation conversation = open(cloud, words, 2.5, Duration.ofSeconds(30));

    TurnResult result = say(conversation, "What does it mean to run?");

    assertEquals(TurnStatus.COMPLETED, result.status(), () -> String.valueOf(result));
    assertEquals("websocket", result.metrics().transport());
    assertTrue(result.metrics().openerWords() >= 1, "an opener was spoken");
    assertTrue(result.metrics().cloudWords() >= 1, "the cloud continued");
    assertEquals(result.reply().trim(), words.text().trim(), "the words delivered are the reply, nothing lost or repeated");
    assertEquals(WordSource.DEVICE, words.all.get(0).source());
    assertEquals(WordSource.CLOUD, words.all.get(words.all.size() - 1).source());
    assertEquals(List.of(new HistoryItem(Role.USER, "What does it mean to run?"), new HistoryItem(Role.ASSISTANT, result.reply())),
        conversation.history());
  }

  @Test
  void nextTurnIsAnsweredFromTheSameHistoryTheDeviceHolds() throws Exception {
    Conversation conversation = open(cloud, new AgentListener() {}, 2.5, Duration.ofSeconds(30));
    say(conversation, "What is a city?");
    List<HistoryItem> deviceHistory = conversation.history();
    contexts.clear();

    say(conversation, "What is a family?");

    ConversationContext second = lastContextFor("What is a family?");
    assertEquals(deviceHistory, second.history());
  }

  @Test
  void bargeInKeepsOnlyTheHeardWordsOnBothSides() throws Exception {
    Conversation conversation = open(cloud, new AgentListener() {}, 2.5, Duration.ofSeconds(30));
    TurnResult first = say(conversation, "What does it mean to know?");
    assertTrue(Words.count(first.reply()) > 3, first::reply);
    conversation.playbackProgress(3);
    conversation.cancel().get(10, TimeUnit.SECONDS);
    assertEquals(Words.prefix(first.reply(), 3), conversation.history().get(1).text());
    contexts.clear();

    say(conversation, "What is a school?");

    assertEquals(List.of(new HistoryItem(Role.USER, "What does it mean to know?"), new HistoryItem(Role.ASSISTANT, Words.prefix(first.reply(), 3))),
        lastContextFor("What is a school?").history());
  }

  @Test
  void lateCloudIsCompletedLocallyAndTheCloudLearnsTheLocalReply() throws Exception {
    // At 1,000 words per second the opener has been spoken long before any cloud word can come.
    SpokenWords words = new SpokenWords();
    Conversation conversation = open(cloud, words, 1_000, Duration.ZERO);

    TurnResult local = say(conversation, "What is a country?");

    assertEquals(TurnStatus.LOCAL, local.status(), () -> String.valueOf(local));
    assertNotNull(local.metrics().fallback());
    assertEquals(local.reply().trim(), words.text().trim());
    contexts.clear();
    say(conversation, "What is a car?");
    assertEquals(List.of(new HistoryItem(Role.USER, "What is a country?"), new HistoryItem(Role.ASSISTANT, local.reply())),
        lastContextFor("What is a car?").history());
  }

  @Test
  void openerNobodyHeardYetIsRewound() throws Exception {
    SpokenWords words = new SpokenWords();
    Conversation conversation = open(strictCloud, words, 2.5, Duration.ofSeconds(30));

    TurnResult result = say(conversation, "What is a city?");

    assertEquals(Verdict.REWIND, result.metrics().verdict(), () -> String.valueOf(result));
    assertEquals(0, result.metrics().keptOpenerWords());
    assertEquals(List.of(0), words.rewinds);
    assertFalse(result.reply().isEmpty());
    assertEquals(result.reply().trim(), words.text().trim(), "rewound words are gone from the reply and the history");
    assertEquals(result.reply(), conversation.history().get(1).text());
  }

  @Test
  void openerAlreadyHeardIsRepairedAloud() throws Exception {
    SpokenWords words = new SpokenWords();
    words.hearEverything = true;
    Conversation conversation = open(strictCloud, words, 2.5, Duration.ofSeconds(30));
    words.conversation = conversation;

    TurnResult result = say(conversation, "What is a city?");

    assertEquals(Verdict.REPAIR, result.metrics().verdict(), () -> String.valueOf(result));
    assertEquals(1, words.repairs.size());
    int opener = result.metrics().openerWords();
    assertEquals(opener, words.repairs.get(0).afterWords());
    assertTrue(result.reply().startsWith(words.openerText()), "the heard opener stays: " + result.reply());
    assertTrue(Words.count(result.reply()) > opener, "a repair follows the opener");
    assertEquals(result.reply().trim(), words.text().trim());
  }

  /**
   * The last context the cloud answered {@code userText} from. The device may finish a turn (a
   * local fallback) before the cloud has even read it, so this waits for the cloud, up to 20 s.
   */
  private static ConversationContext lastContextFor(String userText) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (contexts.stream().noneMatch(c -> c.userText().equals(userText)) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<ConversationContext> matching = new ArrayList<>();
    for (ConversationContext context : contexts) {
      if (context.userText().equals(userText)) {
        matching.add(context);
      }
    }
    assertFalse(matching.isEmpty(), "the cloud saw no turn for " + userText);
    return matching.get(matching.size() - 1);
  }

  /** Collects the words as an app would speak them: later pieces are dropped by a rewind. */
  static final class SpokenWords implements AgentListener {
    final List<ReplyWord> all = new CopyOnWriteArrayList<>();
    final List<Integer> rewinds = new CopyOnWriteArrayList<>();
    final List<RepairStart> repairs = new CopyOnWriteArrayList<>();
    volatile boolean hearEverything;
    volatile Conversation conversation;

    @Override
    public void onWord(ReplyWord word) {
      all.add(word);
      if (hearEverything && conversation != null) {
        conversation.playbackProgress(word.index() + 1);
      }
    }

    @Override
    public void onRewind(Rewind rewind) {
      rewinds.add(rewind.keptWords());
      all.removeIf(w -> w.index() >= rewind.keptWords());
    }

    @Override
    public void onRepairStart(RepairStart repair) {
      repairs.add(repair);
    }


    String text() {
      StringBuilder text = new StringBuilder();
      for (ReplyWord word : all) {
        text.append(word.text());
      }
      return text.toString();
    }

    String openerText() {
      StringBuilder text = new StringBuilder();
      for (ReplyWord word : all) {
        if (word.source() == WordSource.DEVICE) {
          text.append(word.text());
        }
      }
      return text.toString();
    }
  }

  /** The embedded engine, recording every context it prefills or scores an opener in. */
  static final class RecordingEngine extends ForwardingEngine {
    RecordingEngine(ContinuationEngine engine) {
      super(engine);
    }

    @Override
    protected EngineConversation wrap(EngineConversation conversation) {
      return new ForwardingConversation(conversation) {
        @Override
        public void updateContext(ConversationContext context) {
          contexts.add(context);
          super.updateContext(context);
        }

        @Override
        public Mono<OpenerScore> scoreOpener(ConversationContext context, List<String> openerWords) {
          contexts.add(context);
          return super.scoreOpener(context, openerWords);
        }
      };
    }
  }
}
