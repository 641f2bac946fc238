package dev.overture.cloud.handoff;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import reactor.netty.NettyPipeline;

/**
 * Adapts a connection's Netty pipeline, right after the WebSocket handshake, to the protocol.
 *
 * <p>Netty's frame decoder, as Reactor Netty installs it, closes the socket on a frame over the
 * size limit, a text frame that is not UTF-8 or broken framing (close 1009, 1007, 1002) before the
 * protocol sees anything. {@link #install} swaps it for the same decoder configured to raise those
 * as exceptions ({@code closeOnProtocolViolation(false)}), and adds a handler in front of Reactor
 * Netty's bridge that hands them, and the message aggregator's "message too long", to the
 * connection instead of failing the inbound stream (which would end the connection before the
 * error is sent); so the protocol's typed {@code error} event goes out before the close. An
 * oversized frame is still refused after its header: its payload is skipped, never buffered.
 *
 * <p>It also removes the HTTP request read timeout ({@code overture.security.request-read-timeout}),
 * which Reactor Netty leaves in place after the upgrade: a quiet socket is the protocol's business
 * (pings, {@code overture.handoff.idle-timeout}).
 *
 * <p>Spring's WebSocket session does not expose its Netty channel, only the channel's id; {@link
 * #serverCustomizer} therefore records every server connection's channel, to be found by that id.
 */
final class WebSocketPipeline {

  private static final Logger log = LoggerFactory.getLogger(WebSocketPipeline.class);

  /** Open server channels; Netty removes each when it closes. */
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final WebSocketDecoderConfig config;

  WebSocketPipeline(int maxFrameBytes) {
    this.config =
        WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(maxFrameBytes)
            .allowExtensions(true) // as Reactor Netty's handshaker
            .closeOnProtocolViolation(false)
            .build();
  }

  /** Records each server connection's channel, so that {@link #install} can find it. */
  NettyServerCustomizer serverCustomizer() {
    return server -> server.doOnConnection(connection -> channels.add(connection.channel()));
  }

  /**
   * Adapts {@code socket}'s pipeline; what the transport refuses goes to {@code refused} (on the
   * channel's event loop). Call it after {@code socket.receive()}, which adds the message
   * aggregator whose failures are caught too.
   */
  void install(WebSocketSession socket, Consumer<Throwable> refused) {
    Channel channel = socket instanceof ReactorNettyWebSocketSession netty ? channels.find(netty.getChannelId()) : null;
    if (channel == null) {
      log.warn("no Netty channel for WebSocket {}: oversized frames close without a typed error", socket.getId());
      return;
    }
    // On the event loop, so that no frame is decoded while the decoders change places; bytes the old
    // decoder still held pass to the new one (Netty's replace forwards them).
    if (channel.eventLoop().inEventLoop()) {
      install(channel.pipeline(), refused);
    } else {
      channel.eventLoop().execute(() -> install(channel.pipeline(), refused));
    }
  }

  private void install(ChannelPipeline pipeline, Consumer<Throwable> refused) {
    if (pipeline.get(NettyPipeline.ReadTimeoutHandler) != null) {
      pipeline.remove(NettyPipeline.ReadTimeoutHandler);
    }
    for (Map.Entry<String, ChannelHandler> handler : pipeline) {
      if (handler.getValue() instanceof WebSocket08FrameDecoder) { // 13 extends 08: the same framing
        pipeline.replace(handler.getKey(), handler.getKey(), new WebSocket13FrameDecoder(config));
        pipeline.addBefore(NettyPipeline.ReactiveBridge, "overture.refusedFrames", new Refusals(refused));
        return;
      }
    }
    log.warn("no WebSocket frame decoder in the pipeline: oversized frames close without a typed error");
  }

  /** Takes the transport's refusals out of the exception path and hands them on. */
  private static final class Refusals extends ChannelInboundHandlerAdapter {
    private final Consumer<Throwable> refused;

    Refusals(Consumer<Throwable> refused) {
      this.refused = refused;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      if (cause instanceof CorruptedWebSocketFrameException || cause instanceof TooLongFrameException) {
        refused.accept(cause);
      } else {
        context.fireExceptionCaught(cause);
      }
    }
  }
}
