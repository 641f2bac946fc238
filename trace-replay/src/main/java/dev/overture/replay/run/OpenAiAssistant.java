package dev.overture.replay.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overture.device.AgentException;
import dev.overture.device.AgentListener;
import dev.overture.device.AgentMode;
import dev.overture.device.ReplyWord;
import dev.overture.device.TurnMetrics;
import dev.overture.device.TurnResult;
import dev.overture.device.TurnStatus;
import dev.overture.device.Verdict;
import dev.overture.device.WordSource;
import dev.overture.device.internal.WordSplitter;
import dev.overture.protocol.Words;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The cloud-only baseline against any OpenAI-compatible server: each final transcript becomes a
 * streamed {@code POST /v1/chat/completions} with the conversation so far, and the streamed text is
 * spoken word by word as it arrives. No opener, no fallback: what a plain cloud assistant does.
 */
final class OpenAiAssistant implements Assistant {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(120, TimeUnit.SECONDS).build();
  private final String url;
  private final String apiKey;
  private final String model;
  private final int maxTokens;

  OpenAiAssistant(String baseUrl, String apiKey, String model, int maxTokens) {
    this.url = baseUrl.replaceAll("/+$", "").replaceAll("/v1$", "") + "/v1/chat/completions";
    this.apiKey = apiKey;
    this.model = model;
    this.maxTokens = maxTokens;
  }

  @Override
  public String mode() {
    return "openai";
  }

  @Override
  public Session open(AgentListener listener) {
    return new OpenAiSession(listener);
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private final class OpenAiSession implements Session {
    private final AgentListener listener;
    private final List<String[]> history = new ArrayList<>();
    private volatile Call call;
    private volatile boolean cancelled;
    private int turns;

    OpenAiSession(AgentListener listener) {
      this.listener = listener;
    }

    @Override
    public void partial(String text) {
      // A plain cloud assistant waits for the final transcript.
    }

    @Override
    public CompletableFuture<TurnResult> finalText(String text) {
      long start = System.nanoTime();
      String turnId = "openai-" + (++turns);
      cancelled = false;
      CompletableFuture<TurnResult> result = new CompletableFuture<>();
      Thread reader = new Thread(() -> result.complete(stream(turnId, text, start)), "openai-baseline");
      reader.setDaemon(true);
      reader.start();
      return result;
    }

    private TurnResult stream(String turnId, String text, long start) {
      StringBuilder reply = new StringBuilder();
      long[] first = {-1};
      long[] last = {-1};
      long tokens = 0;
      WordSplitter splitter = new WordSplitter(piece -> {
        long now = System.nanoTime();
        if (first[0] < 0) {
          first[0] = now;
        }
        last[0] = now;
        int index = Math.max(0, Words.count(reply) - 1);
        listener.onWord(new ReplyWord(piece, WordSource.CLOUD, index, now - start, false));
      });
      TurnStatus status = TurnStatus.COMPLETED;
      AgentException error = null;
      try (Response response = send(text)) {
        if (!response.isSuccessful()) {
          throw new IOException("HTTP " + response.code() + ": " + response.body().string());
        }
        BufferedSource source = response.body().source();
        for (String line; (line = source.readUtf8Line()) != null; ) {
          if (!line.startsWith("data:")) {
            continue;
          }
          String data = line.substring(5).trim();
          if (data.equals("[DONE]")) {
            break;
          }
          JsonNode chunk = MAPPER.readTree(data);
          JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
          if (content.isTextual() && !content.asText().isEmpty()) {
            tokens++;
            String piece = reply.length() == 0 ? content.asText().stripLeading() : content.asText();
            reply.append(piece);
            splitter.accept(piece);
          }
          if (chunk.path("usage").path("completion_tokens").isNumber()) {
            tokens = chunk.path("usage").path("completion_tokens").asLong();
          }
        }
        splitter.finish();
      } catch (IOException e) {
        if (cancelled) {
          status = TurnStatus.CANCELLED;
        } else {
          status = TurnStatus.FAILED;
          error = new AgentException(AgentException.Kind.CLOUD_UNREACHABLE, null, "the OpenAI-compatible server failed: " + e.getMessage(), e);
          listener.onError(error);
        }
      }
      history.add(new String[] {"user", text});
      if (Words.count(reply) > 0) {
        history.add(new String[] {"assistant", reply.toString()});
      }
      long ttft = first[0] < 0 ? -1 : first[0] - start;
      TurnMetrics metrics = new TurnMetrics(AgentMode.CLOUD_ONLY, "openai", 0, false, ttft, 0, 0, Verdict.NONE, 0, 0, ttft, ttft,
          -1, -1, 0, Words.count(reply), null, last[0] < 0 ? -1 : last[0] - start, tokens);
      TurnResult result = new TurnResult(turnId, status, text, reply.toString(), metrics, error);
      listener.onTurnDone(result);
      return result;
    }

    private Response send(String text) throws IOException {
      ObjectNode body = MAPPER.createObjectNode();
      body.put("model", model);
      body.put("stream", true);
      body.put("max_tokens", maxTokens);
      ArrayNode messages = body.putArray("messages");
      for (String[] item : history) {
        messages.addObject().put("role", item[0]).put("content", item[1]);
      }
      messages.addObject().put("role", "user").put("content", text);
      Request.Builder request = new Request.Builder().url(url).header("Accept", "text/event-stream")
          .post(RequestBody.create(MAPPER.writeValueAsString(body), JSON));
      if (apiKey != null) {
        request.header("Authorization", "Bearer " + apiKey);
      }
      Call current = http.newCall(request.build());
      call = current;
      return current.execute();
    }

    @Override
    public void heard(int words) {
      // The baseline has no use for playback progress.
    }

    @Override
    public CompletableFuture<Void> cancel() {
      cancelled = true;
      Call current = call;
      if (current != null) {
        current.cancel();
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
      cancel();
    }
  }
}
