package dev.overture.lm.offload;

import java.util.Locale;

/**
 * An emulated link between the backing store and fast memory: each load waits {@code latency +
 * bytes / bandwidth}, so a run on a fast local disk shows what NVMe, phone flash or PCIe would cost.
 * Concurrent loads overlap their latencies (a device's queue) and share the bandwidth.
 *
 * @param bytesPerSecond sustained read bandwidth (0: no emulation)
 * @param latencyNanos per-load latency
 */
public record LinkModel(String name, double bytesPerSecond, long latencyNanos) {

  /** No emulation: loads cost what the machine makes them cost. */
  public static LinkModel none() {
    return new LinkModel("none", 0, 0);
  }

  /**
   * {@code nvme} (3 GB/s, 80 µs), {@code ufs} (phone flash, 1.5 GB/s, 150 µs), {@code pcie} (PCIe 4
   * x16 host to GPU, 25 GB/s, 10 µs): round figures for current parts, not measurements.
   */
  public static LinkModel parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "none" -> none();
      case "nvme" -> new LinkModel("nvme", 3e9, 80_000);
      case "ufs" -> new LinkModel("ufs", 1.5e9, 150_000);
      case "pcie" -> new LinkModel("pcie", 25e9, 10_000);
      default -> throw new IllegalArgumentException("unknown link '" + name + "': none, nvme, ufs or pcie");
    };
  }

  /** How long a load of {@code bytes} takes on this link, in nanoseconds (0 without emulation). */
  public long nanosFor(long bytes) {
    return bytesPerSecond == 0 ? 0 : latencyNanos + transferNanos(bytes);
  }

  /** How long {@code bytes} occupy the link's bandwidth, in nanoseconds (0 without emulation). */
  public long transferNanos(long bytes) {
    return bytesPerSecond == 0 ? 0 : (long) (bytes / bytesPerSecond * 1e9);
  }
}
