package dev.overture.device.internal;

import dev.overture.device.AgentException;
import dev.overture.protocol.ClientInfo;
import dev.overture.protocol.ContinuationDone;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolVersion;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.TurnEvent;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.session.DeviceSession;
import java.io.IOException;
import java.util.List;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The one-shot binding ({@code POST /v1/continue}), used for a turn when the WebSocket cannot be
 * opened: the whole turn (history, final text, opener) goes in one request once the opener is
 * committed, and the verdict and continuation stream back as NDJSON. Each response line is
 * checked by a {@link DeviceSession} made for the request. Thread ownership: called on the {@link
 * AgentLoop}; OkHttp's reader thread only posts lines to it.
 */
public final class ContinueLink {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient client;
  private final HttpUrl url;
  private final String apiKey;
  private final EventCodec codec;
  private final ClientInfo clientInfo;
  private final AgentLoop loop;
  private final CloudListener listener;
  private Call call;

  public ContinueLink(OkHttpClient client, HttpUrl base, String apiKey, EventCodec codec, ClientInfo clientInfo, AgentLoop loop, CloudListener listener) {
    this.client = client;
    this.url = base.newBuilder().encodedPath("/v1/continue").build();
    this.apiKey = apiKey;
    this.codec = codec;
    this.clientInfo = clientInfo;
    this.loop = loop;
    this.listener = listener;
  }

  /** Sends the turn; its events arrive through the listener, as over the WebSocket. */
  public void send(String turnId, List<HistoryItem> history, String userText, List<String> openerWords) {
    cancel();
    ContinueRequest request = new ContinueRequest(ProtocolVersion.CURRENT, turnId,
        WebSocketLink.fitHistory(history, codec.limits()), userText, openerWords, clientInfo, null);
    DeviceSession session;
    String body;
    try {
      session = DeviceSession.forContinue(codec, request);
      body = codec.encode(request);
    } catch (ProtocolException e) {
      listener.onTurnLost(turnId, new AgentException(AgentException.Kind.INTERNAL, e.code().wireName(), "the agent built a request the protocol rejects: " + e.getMessage(), e));
      return;
    }
    Request.Builder http = new Request.Builder().url(url).header("Accept", "application/x-ndjson").post(RequestBody.create(body, JSON));
    if (apiKey != null) {
      http.header("Authorization", "Bearer " + apiKey);
    }
    Call current = client.newCall(http.build());
    call = current;
    current.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        if (!c.isCanceled()) {
          loop.execute(() -> lost(c, turnId, new AgentException(AgentException.Kind.CLOUD_UNREACHABLE, null, "cannot reach the cloud: " + e.getMessage(), e)));
        }
      }

      @Override
      public void onResponse(Call c, Response response) {
        try (Response r = response) {
          if (!r.isSuccessful()) {
            String text = r.body().string();
            loop.execute(() -> rejected(c, turnId, r.code(), text));
            return;
          }
          BufferedSource source = r.body().source();
          String line;
          while ((line = source.readUtf8Line()) != null) {
            if (!line.isEmpty()) {
              String frame = line;
              loop.execute(() -> received(c, session, turnId, frame));
            }
          }
          loop.execute(() -> lost(c, turnId, new AgentException(AgentException.Kind.CLOUD_UNREACHABLE, null, "the cloud's reply ended before continuation.done", null)));
        } catch (IOException e) {
          if (!c.isCanceled()) {
            loop.execute(() -> lost(c, turnId, new AgentException(AgentException.Kind.CLOUD_UNREACHABLE, null, "the cloud's reply broke off: " + e.getMessage(), e)));
          }
        }
      }
    });
  }

  /** Stops the request in flight, if any (barge-in, fallback). */
  public void cancel() {
    if (call != null) {
      call.cancel();
      call = null;
    }
  }

  private void received(Call c, DeviceSession session, String turnId, String frame) {
    if (c != call) {
      return;
    }
    try {
      ServerEvent event = session.receive(frame);
      if (event instanceof ContinuationDone) {
        call = null; // complete: the end of the response that follows loses nothing
      }
      if (event instanceof TurnEvent) {
        listener.onTurnEvent(event);
      } else if (event instanceof ErrorEvent) {
        ErrorEvent error = (ErrorEvent) event;
        listener.onNotice(new AgentException(AgentException.Kind.CLOUD_ERROR, error.code().wireName(), error.message(), null));
      }
    } catch (ProtocolException e) {
      cancel();
      listener.onTurnLost(turnId, new AgentException(AgentException.Kind.PROTOCOL, e.code().wireName(), "the cloud sent a frame the protocol rejects: " + e.getMessage(), e));
    }
  }

  private void rejected(Call c, String turnId, int status, String body) {
    if (c != call) {
      return;
    }
    call = null;
    AgentException.Kind kind = status == 401 ? AgentException.Kind.CLOUD_UNAUTHORIZED : AgentException.Kind.CLOUD_ERROR;
    String code = null;
    String message = "HTTP " + status;
    try {
      ServerEvent event = codec.decodeServer(body);
      if (event instanceof ErrorEvent) {
        code = ((ErrorEvent) event).code().wireName();
        message = message + ": " + ((ErrorEvent) event).message();
      }
    } catch (ProtocolException ignored) {
      // Not an error event (a proxy's page): the status says enough.
    }
    listener.onTurnLost(turnId, new AgentException(kind, code, "the cloud rejected the turn: " + message, null));
  }

  private void lost(Call c, String turnId, AgentException reason) {
    if (c == call) {
      call = null;
      listener.onTurnLost(turnId, reason);
    }
  }
}
