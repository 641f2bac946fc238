package dev.overture.cloud.embedded;

import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.lm.InferenceSession;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The engine's KV caches: at most {@code capacity} {@link InferenceSession}s exist, each owned by
 * one conversation at a time. A conversation pins its cache for the length of one piece of work
 * (a prefill, a scoring pass, a whole generation); when a conversation without a cache needs one
 * and none is free, the least recently used unpinned cache is taken from its owner, cleared, and
 * handed over. The old owner notices nothing but a cache that starts empty (its prefix reuse
 * finds nothing and it prefills again). Caches of closed conversations are kept for reuse, so a
 * steady load allocates no new KV memory.
 *
 * <p>Thread-safe.
 */
final class KvCachePool implements AutoCloseable {

  /** One cache and how many pieces of its owner's work use it now. */
  private static final class Lease {
    final InferenceSession session;
    int pins;

    Lease(InferenceSession session) {
      this.session = session;
    }
  }

  private final Supplier<InferenceSession> factory;
  private final int capacity;
  /** Owned caches, least recently used first. */
  private final LinkedHashMap<Object, Lease> owned = new LinkedHashMap<>(16, 0.75f, true);
  private final Deque<InferenceSession> free = new ArrayDeque<>();
  private int created;
  private long evictions;
  private boolean closed;

  KvCachePool(Supplier<InferenceSession> factory, int capacity) {
    this.factory = factory;
    this.capacity = capacity;
  }

  /**
   * The cache of {@code owner}, pinned: its own if it still has one, else a free, new or evicted
   * one (empty). Returns null when every cache is pinned by others.
   */
  synchronized InferenceSession pin(Object owner) {
    if (closed) {
      return null;
    }
    Lease lease = owned.get(owner);
    if (lease == null) {
      InferenceSession session = takeCache();
      if (session == null) {
        return null;
      }
      lease = new Lease(session);
      owned.put(owner, lease);
    }
    lease.pins++;
    return lease.session;
  }

  /** Ends one pin of {@code owner}'s cache; the cache stays with it until someone needs it. */
  synchronized void unpin(Object owner) {
    Lease lease = owned.get(owner);
    if (lease != null && lease.pins > 0) {
      lease.pins--;
    }
  }

  /** {@code owner} is gone: its cache becomes free. */
  synchronized void release(Object owner) {
    Lease lease = owned.remove(owner);
    if (lease != null) {
      lease.session.rollback(0);
      free.addLast(lease.session);
    }
  }

  /** Caches that exist now (owned or free). */
  synchronized int live() {
    return created;
  }

  /** Caches owned by conversations now. */
  synchronized int owned() {
    return owned.size();
  }

  /** How many times a cache was taken from an idle conversation. */
  synchronized long evictions() {
    return evictions;
  }

  private InferenceSession takeCache() {
    InferenceSession session = free.pollFirst();
    if (session != null) {
      return session;
    }
    OutOfMemoryError tooLarge = null;
    if (created < capacity) {
      try {
        InferenceSession fresh = factory.get();
        created++; // only once it exists, so that a failed allocation can be tried again
        return fresh;
      } catch (OutOfMemoryError e) { // one large array that did not fit: the heap is otherwise intact
        tooLarge = e; // an idle conversation's cache can still be taken
      }
    }
    for (Iterator<Map.Entry<Object, Lease>> it = owned.entrySet().iterator(); it.hasNext(); ) {
      Lease lease = it.next().getValue();
      if (lease.pins == 0) {
        it.remove();
        evictions++;
        lease.session.rollback(0);
        return lease.session;
      }
    }
    if (tooLarge != null) {
      throw new EngineFailureException(
          EngineFailureException.Kind.FAILED,
          "a new KV cache does not fit in the heap (" + created + " exist): lower overture.embedded.max-sessions or raise -Xmx",
          tooLarge);
    }
    return null;
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Lease lease : owned.values()) {
      lease.session.close();
    }
    for (InferenceSession session : free) {
      session.close();
    }
    owned.clear();
    free.clear();
  }
}
