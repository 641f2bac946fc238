package dev.overture.replay.network;

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
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay that makes the network between device agents and the service behave like
 * a {@link NetworkProfile}: delay each way, jitter, bandwidth, stalls and dropped connections.
 * Bytes keep their order. It listens on 127.0.0.1 only, relays only to a loopback port, and closes
 * itself after its lifetime, so a forgotten proxy cannot outlive the run.
 *
 * <p>The profile can change at any time ({@link #profile}); bytes already in flight keep their
 * delay. Thread-safe.
 */
public final class NetworkProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new ArrayList<>();
  private final Random random;
  private final Thread stopper;
  private volatile NetworkProfile profile;
  private volatile boolean closed;
  /** Until when nothing gets through (a stall), in System.nanoTime(). */
  private volatile long stalledUntil;

  /**
   * @param targetPort the service's port on 127.0.0.1
   * @param lifetimeMillis the proxy closes itself after this long
   * @param seed for jitter, stalls and drops, so that a run can be repeated
   */
  public NetworkProxy(int targetPort, NetworkProfile profile, long lifetimeMillis, long seed) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.profile = profile;
    this.random = new Random(seed);
    daemon(this::accept, "network-proxy-accept").start();
    daemon(this::disturb, "network-proxy-faults").start();
    this.stopper = daemon(() -> {
      try {
        Thread.sleep(lifetimeMillis);
        close();
      } catch (InterruptedException | IOException ignored) {
        // Closed before its time.
      }
    }, "network-proxy-lifetime");
    stopper.start();
  }

  /** A proxy that only delays, with a round trip of {@code roundTripMillis}, living an hour. */
  public static NetworkProxy delaying(int targetPort, long roundTripMillis) throws IOException {
    return new NetworkProxy(targetPort, NetworkProfile.roundTrip(roundTripMillis), TimeUnit.HOURS.toMillis(1), 1);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The base URL to give agents instead of the service's. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public NetworkProfile profile() {
    return profile;
  }

  public void profile(NetworkProfile profile) {
    this.profile = profile;
  }

  /** Shorthand for {@code profile(NetworkProfile.roundTrip(millis))}. */
  public void roundTrip(long millis) {
    profile(NetworkProfile.roundTrip(millis));
  }

  private static Thread daemon(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** Sockets the proxy holds open now (both ends of each relayed connection). */
  int openSockets() {
    synchronized (sockets) {
      return sockets.size();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 5_000);
        } catch (IOException e) {
          closeQuietly(client); // the agent sees the connection end at once, as a refused one would
          closeQuietly(upstream);
          throw e;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        synchronized (sockets) {
          sockets.add(client);
          sockets.add(upstream);
        }
        // Each direction half-closes when its side ends; the second to end closes both sockets.
        AtomicInteger directions = new AtomicInteger(2);
        Runnable ended = () -> {
          if (directions.decrementAndGet() == 0) {
            closeQuietly(client);
            closeQuietly(upstream);
            synchronized (sockets) {
              sockets.remove(client);
              sockets.remove(upstream);
            }
          }
        };
        relay(client, upstream, ended);
        relay(upstream, client, ended);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /** Stalls and drops, as Poisson processes at the current profile's rates. */
  private void disturb() {
    long tick = 50;
    while (!closed) {
      try {
        Thread.sleep(tick);
      } catch (InterruptedException e) {
        return;
      }
      NetworkProfile p = profile;
      double seconds = tick / 1000.0;
      if (p.stallEverySeconds() > 0 && chance(seconds / p.stallEverySeconds())) {
        stalledUntil = System.nanoTime() + (long) (p.stallMillis() * 1e6);
      }
      if (p.dropEverySeconds() > 0 && chance(seconds / p.dropEverySeconds())) {
        dropOne();
      }
    }
  }

  private synchronized boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  private synchronized double jitterNanos(double jitterMillis) {
    return random.nextDouble() * jitterMillis * 1e6;
  }

  private void dropOne() {
    Socket victim;
    synchronized (sockets) {
      sockets.removeIf(Socket::isClosed);
      if (sockets.isEmpty()) {
        return;
      }
      victim = sockets.get(random.nextInt(sockets.size()));
    }
    closeQuietly(victim);
  }

  /** One direction: a reader stamps each chunk with the time it may leave, a writer sends it then. */
  private void relay(Socket from, Socket to, Runnable ended) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    LinkedBlockingQueue<Chunk> inFlight = new LinkedBlockingQueue<>();
    daemon(() -> {
      byte[] buffer = new byte[16384];
      long lastDue = 0;
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          NetworkProfile p = profile;
          long now = System.nanoTime();
          long due = now + (long) (p.roundTripMillis() * 5e5 + jitterNanos(p.jitterMillis()));
          if (p.kilobitsPerSecond() > 0) {
            due = Math.max(due, lastDue) + (long) (n * 8 / (p.kilobitsPerSecond() * 1000) * 1e9);
          }
          lastDue = Math.max(due, lastDue); // order is kept: no chunk overtakes the one before
          inFlight.add(new Chunk(lastDue, Arrays.copyOf(buffer, n)));
        }
      } catch (IOException ignored) {
        // Closed: the writer closes the other side after the bytes in flight.
      }
      inFlight.add(new Chunk(Math.max(lastDue, System.nanoTime()), null));
    }, "network-proxy-read").start();
    daemon(() -> {
      try {
        while (true) {
          Chunk chunk = inFlight.take();
          // A stall that begins while the chunk waits holds it too: look again after each sleep.
          for (long wait; (wait = Math.max(chunk.due, stalledUntil) - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          if (chunk.bytes == null) {
            to.shutdownOutput();
            ended.run();
            return;
          }
          out.write(chunk.bytes);
          out.flush();
        }
      } catch (IOException | InterruptedException ignored) {
        closeQuietly(to);
        closeQuietly(from);
        ended.run();
      }
    }, "network-proxy-write").start();
  }

  private record Chunk(long due, byte[] bytes) {}

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    server.close();
    synchronized (sockets) {
      for (Socket socket : sockets) {
        closeQuietly(socket);
      }
    }
    if (Thread.currentThread() != stopper) {
      stopper.interrupt();
    }
  }
}
