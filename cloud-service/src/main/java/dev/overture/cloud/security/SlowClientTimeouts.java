package dev.overture.cloud.security;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Closes the HTTP connections of clients that stop in the middle of a request (a half-open peer,
 * a slow-loris attack), which Reactor Netty would otherwise hold forever: {@code
 * overture.security.request-read-timeout} between two reads of a request (a body that stops gets
 * 408 from {@link RequestBodies}). Connections idle between requests close after {@code
 * server.netty.idle-timeout}. After a WebSocket upgrade the read timeout is removed (the socket has
 * the protocol's own idle timeout, {@code overture.handoff.idle-timeout}, and pings).
 *
 * <p>Reactor Netty's whole-request timeout is not used: it also ends every WebSocket after its
 * duration.
 */
@Configuration(proxyBeanMethods = false)
class SlowClientTimeouts {

  @Bean
  NettyServerCustomizer requestReadTimeout(SecurityProperties properties) {
    return server -> server.readTimeout(properties.requestReadTimeout());
  }
}
