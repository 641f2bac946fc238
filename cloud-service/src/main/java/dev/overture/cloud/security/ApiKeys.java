package dev.overture.cloud.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The accepted API keys, held only as SHA-256 digests. A presented key is hashed and compared with
 * every digest in constant time ({@link MessageDigest#isEqual}), without stopping at a match, so
 * timing reveals neither which key matched nor how much of one.
 */
final class ApiKeys {

  private final byte[][] digests;
  private final String[] ids;

  ApiKeys(List<String> keys) {
    digests = new byte[keys.size()][];
    ids = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      digests[i] = sha256(keys.get(i));
      // A short digest prefix names the key in logs and metrics without revealing it.
      ids[i] = "key-" + HexFormat.of().formatHex(digests[i], 0, 4);
    }
  }

  /** The id of the key {@code presented} matches, or null. */
  String identify(String presented) {
    byte[] digest = sha256(presented);
    String match = null;
    for (int i = 0; i < digests.length; i++) {
      if (MessageDigest.isEqual(digests[i], digest)) {
        match = ids[i];
      }
    }
    return match;
  }

  boolean isEmpty() {
    return digests.length == 0;
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
