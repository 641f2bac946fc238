package dev.overture.cloud.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The protocol's conformance transcripts, read from the shared-protocol jar as JSON trees. */
public final class Transcripts {

  private static final String ROOT = "/dev/overture/protocol/conformance/";
  static final JsonMapper JSON = JsonMapper.builder().build();

  private Transcripts() {}

  /** Every transcript listed by the conformance index, in its order. */
  public static List<Map<String, Object>> all() {
    List<Map<String, Object>> transcripts = new ArrayList<>();
    for (Object file : (List<?>) read("index.json").get("transcripts")) {
      transcripts.add(read((String) file));
    }
    return transcripts;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(String file) {
    try (InputStream in = Transcripts.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("missing conformance resource " + file);
      }
      return JSON.readValue(in, Map.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The transcript's name. */
  public static String name(Map<String, Object> transcript) {
    return (String) transcript.get("name");
  }

  /** Whether the transcript is a one-shot {@code POST /v1/continue} exchange. */
  public static boolean oneShot(Map<String, Object> transcript) {
    return transcript.get("continue_request") != null;
  }

  /** Whether the transcript changes the limits (it then needs a service configured for them). */
  public static boolean overridesLimits(Map<String, Object> transcript) {
    return transcript.get("limits") != null;
  }
}
