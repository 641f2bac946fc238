package dev.overture.replay.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay against a loopback echo server. */
class NetworkProxyTest {

  ServerSocket echo;

  @BeforeEach
  void startEcho() throws Exception {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread c = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              in.transferTo(out);
            } catch (Exception ignored) {
              // The client went away.
            }
          });
          c.setDaemon(true);
          c.start();
        } catch (Exception e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stopEcho() throws Exception {
    echo.close();
  }

  @Test
  void bytesArriveIntactInOrderWithJitterAndBandwidth() throws Exception {
    NetworkProfile profile = new NetworkProfile("test", 10, 20, 50_000, 0, 0, 0);
    byte[] data = new byte[200_000];
    new Random(7).nextBytes(data);
    try (NetworkProxy proxy = new NetworkProxy(echo.getLocalPort(), profile, 60_000, 3);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      Thread writer = new Thread(() -> {
        try {
          client.getOutputStream().write(data);
          client.getOutputStream().flush();
        } catch (Exception ignored) {
          // The read below fails then.
        }
      });
      writer.start();
      byte[] back = new byte[data.length];
      new DataInputStream(client.getInputStream()).readFully(back);
      assertArrayEquals(data, back);
    }
  }

  @Test
  void roundTripTakesAtLeastTheProfilesDelay() throws Exception {
    try (NetworkProxy proxy = NetworkProxy.delaying(echo.getLocalPort(), 200);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      long start = System.nanoTime();
      client.getOutputStream().write(42);
      assertEquals(42, client.getInputStream().read());
      double millis = (System.nanoTime() - start) / 1e6;
      assertTrue(millis >= 200, "round trip took " + millis + " ms");
    }
  }

  @Test
  void aConnectionClosedAtBothEndsIsReleased() throws Exception {
    try (NetworkProxy proxy = new NetworkProxy(echo.getLocalPort(), NetworkProfile.roundTrip(0), 60_000, 1)) {
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        client.getOutputStream().write(42);
        assertEquals(42, client.getInputStream().read());
        assertEquals(2, proxy.openSockets());
      } // the client closes; the echo server closes its side in turn

      long deadline = System.nanoTime() + 10_000_000_000L;
      while (proxy.openSockets() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(0, proxy.openSockets(), "both sockets of the finished connection are closed");
    }
  }

  @Test
  void proxyClosesItselfAfterItsLifetime() throws Exception {
    NetworkProxy proxy = new NetworkProxy(echo.getLocalPort(), NetworkProfile.roundTrip(0), 200, 1);
    int port = proxy.port();
    // The lifetime is 200 ms; a busy machine may close a little late, so try until refused.
    long deadline = System.nanoTime() + 10_000_000_000L;
    boolean refused = false;
    while (!refused && System.nanoTime() < deadline) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        Thread.sleep(100);
      } catch (java.net.ConnectException e) {
        refused = true;
      }
    }
    assertTrue(refused, "the proxy still accepted connections 10 s after its 200 ms lifetime");
  }
}
