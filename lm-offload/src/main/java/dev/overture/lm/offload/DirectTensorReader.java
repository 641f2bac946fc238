package dev.overture.lm.offload;

import com.sun.nio.file.ExtendedOpenOption;
import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.gguf.GgufTensorInfo;
import dev.overture.lm.gguf.TensorReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads tensor data with positional reads, with direct I/O ({@code O_DIRECT}) where the file
 * system allows it, so that each expert load really comes from the disk instead of the page cache
 * (which would hide the cost an offloading study measures). Direct reads must be aligned: each read
 * covers the aligned blocks around the wanted bytes. Falls back to ordinary positional reads
 * where direct I/O is refused ({@link #direct()} says which). Thread-safe. Each thread reads into
 * one aligned buffer of its own, grown as needed (a fresh direct buffer per read cost more than the
 * read): a returned buffer is valid until the same thread's next read, which is how an expert
 * source uses it (decoded into heap arrays at once).
 */
public final class DirectTensorReader implements TensorReader, AutoCloseable {

  private final FileChannel channel;
  private final long dataStart;
  private final int alignment;
  private final boolean direct;
  private final ThreadLocal<ByteBuffer> buffers = new ThreadLocal<>();

  private DirectTensorReader(FileChannel channel, long dataStart, int alignment, boolean direct) {
    this.channel = channel;
    this.dataStart = dataStart;
    this.alignment = alignment;
    this.direct = direct;
  }

  /** A reader of {@code path}, whose tensor data starts where {@code file} (the same file, parsed) says. */
  public static DirectTensorReader open(Path path, GgufFile file) throws IOException {
    int block = (int) Math.max(512, Files.getFileStore(path).getBlockSize());
    try {
      return new DirectTensorReader(FileChannel.open(path, StandardOpenOption.READ, ExtendedOpenOption.DIRECT), file.dataOffset(), block, true);
    } catch (UnsupportedOperationException | IOException e) {
      // tmpfs and some container file systems refuse O_DIRECT.
      return new DirectTensorReader(FileChannel.open(path, StandardOpenOption.READ), file.dataOffset(), 1, false);
    }
  }

  /** Whether reads bypass the page cache. */
  public boolean direct() {
    return direct;
  }

  @Override
  public ByteBuffer read(GgufTensorInfo tensor, long offset, int length) throws IOException {
    long position = dataStart + tensor.offset() + offset;
    long start = position - position % alignment;
    long end = position + length;
    int span = (int) (((end - start) + alignment - 1) / alignment * alignment);
    ByteBuffer buffer = buffer(span);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, start + buffer.position());
      // End of file, or a read that stopped inside the file's short last block: a direct read may
      // not go on from an unaligned position, and nothing follows anyway.
      if (n < 0 || buffer.position() % alignment != 0) {
        if (buffer.position() >= (int) (end - start)) {
          break;
        }
        throw new IOException("end of file at " + (start + buffer.position()) + " reading " + tensor.name());
      }
    }
    buffer.position((int) (position - start));
    buffer.limit((int) (end - start));
    return buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** This thread's aligned buffer, at least {@code span} bytes, cleared to {@code span}. */
  private ByteBuffer buffer(int span) {
    ByteBuffer buffer = buffers.get();
    if (buffer == null || buffer.capacity() < span) {
      buffer = ByteBuffer.allocateDirect(Math.max(span, 1 << 20) + alignment).alignedSlice(alignment);
      buffers.set(buffer);
    }
    buffer.clear().limit(span);
    return buffer;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
