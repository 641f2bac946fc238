package dev.overture.cloud.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.testing.SyntheticModels;
import dev.overture.lm.InferenceSession;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.SessionOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvCachePoolTest {

  @TempDir static Path directory;
  static LanguageModel model;

  @BeforeAll
  static void load() throws IOException {
    model = LanguageModel.load(SyntheticModels.write(directory));
  }

  @AfterAll
  static void close() throws IOException {
    model.close();
  }

  private static KvCachePool pool(int capacity) {
    return new KvCachePool(() -> model.newSession(SessionOptions.defaults().withContextLength(64)), capacity);
  }

  @Test
  void anOwnerGetsItsOwnCacheBackWithItsTokens() {
    try (KvCachePool pool = pool(2)) {
      InferenceSession cache = pool.pin("a");
      cache.prefill(new int[] {5, 6, 7});
      pool.unpin("a");
      assertThat(pool.pin("a")).isSameAs(cache);
      assertThat(cache.position()).isEqualTo(3);
    }
  }

  @Test
  void theLeastRecentlyUsedIdleCacheIsTakenAndCleared() {
    try (KvCachePool pool = pool(2)) {
      InferenceSession a = pool.pin("a");
      a.prefill(new int[] {5});
      pool.unpin("a");
      pool.pin("b");
      pool.unpin("b");
      pool.pin("a"); // a is now the most recently used
      pool.unpin("a");
      InferenceSession c = pool.pin("c");
      assertThat(pool.evictions()).isEqualTo(1);
      assertThat(pool.pin("a")).isSameAs(a); // b lost its cache, not a
      assertThat(c.position()).isZero();
      assertThat(pool.live()).isEqualTo(2);
    }
  }

  @Test
  void whenEveryCacheIsPinnedThereIsNone() {
    try (KvCachePool pool = pool(1)) {
      pool.pin("a");
      assertThat(pool.pin("b")).isNull();
    }
  }

  @Test
  void aReleasedCacheIsReusedEmptyWithoutAllocating() {
    try (KvCachePool pool = pool(1)) {
      InferenceSession a = pool.pin("a");
      a.prefill(new int[] {5, 6});
      pool.release("a");
      InferenceSession b = pool.pin("b");
      assertThat(b).isSameAs(a);
      assertThat(b.position()).isZero();
      assertThat(pool.evictions()).isZero();
    }
  }

  @Test
  void aCacheThatDoesNotFitIsATypedFailureAndCanBeTriedAgain() {
    int[] calls = {0};
    java.util.function.Supplier<InferenceSession> failsOnce =
        () -> {
          if (calls[0]++ == 0) {
            throw new OutOfMemoryError("Java heap space");
          }
          return model.newSession(SessionOptions.defaults().withContextLength(64));
        };
    try (KvCachePool pool = new KvCachePool(failsOnce, 1)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.pin("a"))
          .isInstanceOf(dev.overture.cloud.engine.EngineFailureException.class)
          .hasMessageContaining("max-sessions");
      assertThat(pool.live()).isZero();
      assertThat(pool.pin("a")).isNotNull(); // the one slot was not lost to the failure
      assertThat(pool.live()).isEqualTo(1);
    }
  }

  @Test
  void whenNoNewCacheFitsAnIdleConversationsCacheIsTaken() {
    int[] calls = {0};
    java.util.function.Supplier<InferenceSession> oneFits =
        () -> {
          if (calls[0]++ > 0) {
            throw new OutOfMemoryError("Java heap space");
          }
          return model.newSession(SessionOptions.defaults().withContextLength(64));
        };
    try (KvCachePool pool = new KvCachePool(oneFits, 4)) {
      InferenceSession first = pool.pin("a");
      pool.unpin("a");
      assertThat(pool.pin("b")).isSameAs(first); // a's, idle, rather than a failure
      assertThat(pool.evictions()).isEqualTo(1);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.pin("c")) // b holds it pinned
          .isInstanceOf(dev.overture.cloud.engine.EngineFailureException.class);
    }
  }
}
