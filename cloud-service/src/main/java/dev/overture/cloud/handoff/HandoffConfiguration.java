package dev.overture.cloud.handoff;

import dev.overture.cloud.metrics.HandoffMetrics;
import java.util.Map;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;

/** The handoff endpoints: WebSocket {@code /v1/handoff} and {@code POST /v1/continue}. */
@Configuration(proxyBeanMethods = false)
class HandoffConfiguration implements WebFluxConfigurer {

  private final HandoffProperties properties;
  private final WebSocketPipeline socketPipeline;

  HandoffConfiguration(HandoffProperties properties) {
    this.properties = properties;
    this.socketPipeline = new WebSocketPipeline(properties.acceptedFrameBytes());
  }

  @Bean
  HandlerMapping handoffWebSocketMapping(HandoffSessions sessions) {
    return new SimpleUrlHandlerMapping(
        Map.of("/v1/handoff", new HandoffWebSocketHandler(sessions, properties, socketPipeline)), -1);
  }

  @Bean
  NettyServerCustomizer handoffChannelRegistry() {
    return socketPipeline.serverCustomizer();
  }

  @Bean
  RouterFunction<ServerResponse> continueRoute(HandoffSessions sessions, HandoffMetrics metrics) {
    ContinueHandler handler = new ContinueHandler(sessions, metrics, properties.outboundBufferFrames());
    return RouterFunctions.route().POST("/v1/continue", handler::handle).build();
  }

  /**
   * One frame limit for the transport and the protocol ({@link HandoffProperties#acceptedFrameBytes}):
   * Netty refuses larger frames, and larger messages assembled from fragments, and {@link
   * WebSocketPipeline} makes it report them so that they get the typed {@code frame_too_large};
   * Netty answers pings itself.
   */
  @Override
  public WebSocketService getWebSocketService() {
    return new HandshakeWebSocketService(
        new ReactorNettyRequestUpgradeStrategy(
            () ->
                WebsocketServerSpec.builder()
                    .maxFramePayloadLength(properties.acceptedFrameBytes())
                    .handlePing(false)));
  }
}
