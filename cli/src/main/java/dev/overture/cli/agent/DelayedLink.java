package dev.overture.cli.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay that delays every byte by a one-way latency in each direction, so that a
 * device and a cloud on one machine see the round trip of a real network. The delay can change at
 * any time (a turn whose cloud is late); bytes keep their order. Listens on 127.0.0.1 only.
 */
public final class DelayedLink implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new ArrayList<>();
  private volatile long oneWayNanos;
  private volatile boolean closed;

  /** Relays to {@code targetPort} on loopback with a round trip of {@code roundTripMillis}. */
  public DelayedLink(int targetPort, long roundTripMillis) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    roundTrip(roundTripMillis);
    Thread acceptor = new Thread(this::accept, "delayed-link-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Sets the round trip; bytes already in flight keep their delay. */
  public void roundTrip(long millis) {
    this.oneWayNanos = TimeUnit.MILLISECONDS.toNanos(millis) / 2;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(target, 5_000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        synchronized (sockets) {
          sockets.add(client);
          sockets.add(upstream);
        }
        relay(client, upstream);
        relay(upstream, client);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /** One direction: a reader stamps chunks with their due time, a writer sends them when due. */
  private void relay(Socket from, Socket to) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    LinkedBlockingQueue<Object[]> inFlight = new LinkedBlockingQueue<>();
    byte[] end = new byte[0];
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          inFlight.add(new Object[] {System.nanoTime() + oneWayNanos, Arrays.copyOf(buffer, n)});
        }
      } catch (IOException ignored) {
        // The connection closed: the writer closes the other side after the bytes in flight.
      }
      inFlight.add(new Object[] {System.nanoTime() + oneWayNanos, end});
    }, "delayed-link-read");
    Thread writer = new Thread(() -> {
      try {
        while (true) {
          Object[] chunk = inFlight.take();
          long wait = (Long) chunk[0] - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          byte[] bytes = (byte[]) chunk[1];
          if (bytes == end) {
            to.shutdownOutput();
            return;
          }
          out.write(bytes);
          out.flush();
        }
      } catch (IOException | InterruptedException ignored) {
        closeQuietly(to);
        closeQuietly(from);
      }
    }, "delayed-link-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    synchronized (sockets) {
      for (Socket socket : sockets) {
        closeQuietly(socket);
      }
    }
  }
}
