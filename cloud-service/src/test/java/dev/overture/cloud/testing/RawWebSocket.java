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
 * A WebSocket client written by hand on a plain socket, for what a well-behaved client cannot do:
 * it never answers the server's pings (a device that died without closing its connection), and it
 * sends raw frames of any size, fragmented messages, bytes that are not UTF-8, or half a frame.
 */
public final class RawWebSocket implements AutoCloseable {

  /** Opcodes of {@link #sendFrame}. */
  public static final int CONTINUATION = 0, TEXT = 1;

  private static final byte[] MASK = {1, 2, 3, 4};

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RawWebSocket(int port, String apiKey) throws IOException {
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
    sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends text frames in one write, so that they arrive together: a flood. */
  public void sendAll(List<String> texts) throws IOException {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    for (String text : texts) {
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      frames.writeBytes(header(TEXT, true, payload.length));
      frames.writeBytes(masked(payload));
    }
    out.write(frames.toByteArray());
    out.flush();
  }

  /** Sends one frame: {@code opcode}, final or not, with {@code payload} as it is. */
  public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
    out.write(header(opcode, fin, payload.length));
    out.write(masked(payload));
    out.flush();
  }

  /**
   * Sends a frame header announcing {@code declaredLength} bytes, then only {@code sent} of them,
   * and stops: a client that went half-open in the middle of a frame.
   */
  public void sendPartialFrame(long declaredLength, int sent) throws IOException {
    out.write(header(TEXT, true, declaredLength));
    out.write(masked(new byte[sent]));
    out.flush();
  }

  private static byte[] header(int opcode, boolean fin, long length) {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write((fin ? 0x80 : 0) | opcode);
    if (length < 126) {
      header.write(0x80 | (int) length);
    } else if (length < 65536) {
      header.write(0x80 | 126);
      header.write((int) (length >> 8));
      header.write((int) (length & 0xff));
    } else {
      header.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        header.write((int) (length >> shift) & 0xff);
      }
    }
    header.writeBytes(MASK);
    return header.toByteArray();
  }

  private static byte[] masked(byte[] payload) {
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ MASK[i % 4]);
    }
    return masked;
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
