package dev.overture.lm.gguf;

import java.io.Closeable;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF model file (versions 2 and 3), memory-mapped read-only.
 *
 * <p>{@link #open} parses the header eagerly and checks that every tensor's data lies inside the
 * file, so a corrupt, truncated or unsupported file fails there with a {@link
 * GgufFormatException}. Tensor data is mapped in windows of up to 2 GiB, each tensor inside one
 * window, so files of any size work.
 *
 * <p>Thread-safe. {@link #close} releases the file handle; Java cannot unmap portably, so buffers
 * returned by {@link #tensorData} stay readable until they are garbage-collected, but no new ones
 * are handed out after close.
 */
public final class GgufFile implements Closeable {
  /** Largest window a ByteBuffer can address. */
  static final long MAX_WINDOW = Integer.MAX_VALUE;
  /**
   * First mapping tried for the header: enough for large vocabularies, small enough for the address
   * space of a 32-bit device. A longer header is parsed again from a 2 GiB mapping.
   */
  static final long HEADER_WINDOW = 64L << 20;

  /** Maps a region of the underlying bytes. */
  private interface Source extends Closeable {
    ByteBuffer map(long position, long length) throws IOException;
  }

  private final Path path;
  private final String name;
  private final long size;
  private final GgufParser.Header header;
  private final Map<String, Integer> indexByName;
  private final ByteBuffer[] windows;
  private final long[] windowStarts;
  private final int[] windowOfTensor;
  private final Source source;
  private volatile boolean closed;

  private GgufFile(Path path, String name, long size, Source source, long maxWindow, long headerWindow) throws IOException {
    this.path = path;
    this.name = name;
    this.size = size;
    this.source = source;
    this.header = parseHeader(name, size, source, headerWindow);

    List<GgufTensorInfo> tensors = header.tensors();
    long[] starts = new long[tensors.size()];
    long[] sizes = new long[tensors.size()];
    this.indexByName = new HashMap<>();
    for (int i = 0; i < tensors.size(); i++) {
      GgufTensorInfo tensor = tensors.get(i);
      starts[i] = header.dataOffset() + tensor.offset();
      sizes[i] = tensor.byteSize();
      indexByName.put(tensor.name(), i);
    }
    TensorWindows plan = TensorWindows.plan(starts, sizes, maxWindow);
    this.windows = new ByteBuffer[plan.count()];
    for (int w = 0; w < windows.length; w++) {
      windows[w] = source.map(plan.starts[w], plan.lengths[w]);
    }
    this.windowStarts = plan.starts;
    this.windowOfTensor = plan.windowOfTensor;
  }

  private static GgufParser.Header parseHeader(String name, long size, Source source, long headerWindow) throws IOException {
    try {
      return GgufParser.parse(name, source.map(0, Math.min(size, headerWindow)), size);
    } catch (GgufParser.HeaderBeyondWindow e) {
      return GgufParser.parse(name, source.map(0, Math.min(size, MAX_WINDOW)), size);
    }
  }

  /**
   * Opens and parses {@code path}.
   *
   * @throws GgufFormatException if the file is not GGUF, is corrupt or truncated, or uses an
   *     unsupported version or type
   * @throws IOException if it cannot be read
   */
  public static GgufFile open(Path path) throws IOException {
    return open(path, MAX_WINDOW, HEADER_WINDOW);
  }

  /**
   * As {@link #open(Path)}, mapping tensor data in windows of at most {@code maxWindow} bytes and
   * trying the header in a first mapping of {@code headerWindow} bytes.
   */
  static GgufFile open(Path path, long maxWindow, long headerWindow) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      Source source = new Source() {
        @Override
        public ByteBuffer map(long position, long length) throws IOException {
          return channel.map(FileChannel.MapMode.READ_ONLY, position, length);
        }

        @Override
        public void close() throws IOException {
          channel.close();
        }
      };
      Path name = path.getFileName();
      return new GgufFile(path, name == null ? path.toString() : name.toString(), channel.size(), source, maxWindow, headerWindow);
    } catch (IOException | RuntimeException | Error e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Parses a GGUF image held in memory (an Android asset mapped or read into a buffer, a test);
   * {@link #path()} is null and {@code name} stands for the file in messages. The image must fit
   * one buffer (2 GiB); tensors share its memory, so it must not change while the file is open.
   *
   * @throws GgufFormatException if the image is not GGUF, is corrupt or truncated, or uses an
   *     unsupported version or type
   */
  public static GgufFile read(String name, ByteBuffer bytes) throws IOException {
    return read(name, bytes, MAX_WINDOW);
  }

  static GgufFile read(String name, ByteBuffer bytes, long maxWindow) throws IOException {
    ByteBuffer image = bytes.slice(); // the file starts at the buffer's position, not at index 0
    Source source = new Source() {
      @Override
      public ByteBuffer map(long position, long length) {
        ByteBuffer region = image.duplicate();
        ((Buffer) region).position((int) position);
        ((Buffer) region).limit((int) (position + length));
        return region.slice().asReadOnlyBuffer();
      }

      @Override
      public void close() {}
    };
    return new GgufFile(null, name, image.remaining(), source, maxWindow, HEADER_WINDOW);
  }

  /** The file name (without folders), or the name an in-memory image was given. */
  public String name() {
    return name;
  }

  /** The file, or null for an in-memory image. */
  public Path path() {
    return path;
  }

  /** GGUF version: 2 or 3. */
  public int version() {
    return header.version();
  }

  /** Alignment of the tensor data section and of every tensor's offset in it (bytes). */
  public long alignment() {
    return header.alignment();
  }

  /** Size of the file in bytes. */
  public long fileSize() {
    return size;
  }

  /** Absolute file offset of the tensor data section. */
  public long dataOffset() {
    return header.dataOffset();
  }

  public GgufMetadata metadata() {
    return header.metadata();
  }

  /** All tensors in file order (unmodifiable). */
  public List<GgufTensorInfo> tensors() {
    return header.tensors();
  }

  public Optional<GgufTensorInfo> tensor(String tensorName) {
    Integer index = indexByName.get(tensorName);
    return index == null ? Optional.empty() : Optional.of(header.tensors().get(index));
  }

  /**
   * The tensor named {@code tensorName}.
   *
   * @throws GgufFormatException naming the file and the tensor if it is absent
   */
  public GgufTensorInfo requireTensor(String tensorName) throws GgufFormatException {
    Integer index = indexByName.get(tensorName);
    if (index == null) {
      throw new GgufFormatException(name + ": tensor '" + tensorName + "' is missing (the file has "
          + header.tensors().size() + " tensors)");
    }
    return header.tensors().get(index);
  }

  /**
   * The tensor's bytes: a little-endian, read-only buffer at position 0 whose capacity is {@link
   * GgufTensorInfo#byteSize()}. Each call returns a new buffer over the same mapped memory.
   *
   * @throws IllegalArgumentException if {@code tensor} is not one of this file's tensors
   * @throws IllegalStateException after {@link #close}
   */
  public ByteBuffer tensorData(GgufTensorInfo tensor) {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    Integer index = indexByName.get(tensor.name());
    if (index == null || !header.tensors().get(index).equals(tensor)) {
      throw new IllegalArgumentException(tensor + " is not a tensor of " + name);
    }
    int w = windowOfTensor[index];
    int start = (int) (header.dataOffset() + tensor.offset() - windowStarts[w]);
    ByteBuffer region = windows[w].duplicate();
    ((Buffer) region).position(start);
    ((Buffer) region).limit(start + (int) tensor.byteSize());
    return region.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Number of memory mappings holding tensor data (tests check the windowing). */
  int windowCount() {
    return windows.length;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    source.close();
  }

  @Override
  public String toString() {
    return "GgufFile[" + name + ", v" + version() + ", " + metadata().size() + " keys, " + tensors().size() + " tensors]";
  }
}
