package dev.overture.cloud.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket client written by hand on a plain socket that never answers the server's pings: a
 * device that died without closing its connection.
 */
public final class SilentWebSocket implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public SilentWebSocket(int port, String apiKey) throws IOException {
    socket = new Socket("localhost", port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    out.write(("GET /v1/handoff HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + apiKey + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    String response = readHeaders();
    if (!response.startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + response);
    }
  }

  /** Sends one text frame, masked as a client must. */
  public void send(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    }
    byte[] mask = {1, 2, 3, 4};
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /**
   * Reads, without answering anything, until the server closes the connection; returns the text
   * frames it sent, and the close code as the last element ({@code "close 1008"}).
   */
  public List<String> readUntilClosed() throws IOException {
    List<String> received = new ArrayList<>();
    while (true) {
      int head = in.read();
      if (head < 0) {
        return received;
      }
      int length = in.read() & 0x7f;
      if (length == 126) {
        length = (in.read() << 8) | in.read();
      } else if (length == 127) {
        throw new IOException("frame too long for this test client");
      }
      byte[] payload = in.readNBytes(length);
      int opcode = head & 0x0f;
      if (opcode == 1) {
        received.add(new String(payload, StandardCharsets.UTF_8));
      } else if (opcode == 8) {
        received.add("close " + (payload.length >= 2 ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : 1005));
      }
    }
  }

  private String readHeaders() throws IOException {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    while (!headers.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      headers.write(b);
    }
    return headers.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
