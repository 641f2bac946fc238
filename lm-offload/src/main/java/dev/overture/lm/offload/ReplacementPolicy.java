package dev.overture.lm.offload;

/** Which resident expert of a full layer makes room for a loaded one. */
public enum ReplacementPolicy {
  /** The least recently used. */
  LRU,
  /** The least frequently used (ties: the least recently used). */
  LFU,
  /**
   * The one used again farthest in the future (Belady's optimum). Needs the future, so it exists
   * only when replaying a recorded trace ({@link CacheSimulator}): the bound no online policy
   * passes under the same routing.
   */
  BELADY;

  /**
   * {@code lru} or {@code lfu}, as operators write it ({@code belady} only replays a trace and is
   * not accepted here).
   */
  public static ReplacementPolicy parseOnline(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "lru":
        return LRU;
      case "lfu":
        return LFU;
      default:
        throw new IllegalArgumentException("replacement must be lru or lfu, got '" + name + "'");
    }
  }
}
