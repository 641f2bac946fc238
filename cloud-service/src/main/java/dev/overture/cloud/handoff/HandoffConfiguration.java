package dev.overture.cloud.handoff;

import dev.overture.cloud.metrics.HandoffMetrics;
import java.util.Map;
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

  HandoffConfiguration(HandoffProperties properties) {
    this.properties = properties;
  }

  @Bean
  HandlerMapping handoffWebSocketMapping(HandoffSessions sessions) {
    return new SimpleUrlHandlerMapping(
        Map.of("/v1/handoff", new HandoffWebSocketHandler(sessions, properties)), -1);
  }

  @Bean
  RouterFunction<ServerResponse> continueRoute(HandoffSessions sessions, HandoffMetrics metrics) {
    ContinueHandler handler = new ContinueHandler(sessions, metrics, properties.outboundBufferFrames());
    return RouterFunctions.route().POST("/v1/continue", handler::handle).build();
  }

  /**
   * Netty assembles fragmented WebSocket messages up to {@code transport-max-frame-bytes} (above it
   * the transport closes with 1009), so that frames between the protocol limit and that size still
   * get a typed {@code frame_too_large}; Netty answers pings itself.
   */
  @Override
  public WebSocketService getWebSocketService() {
    return new HandshakeWebSocketService(
        new ReactorNettyRequestUpgradeStrategy(
            () ->
                WebsocketServerSpec.builder()
                    .maxFramePayloadLength(properties.transportMaxFrameBytes())
                    .handlePing(false)));
  }
}
