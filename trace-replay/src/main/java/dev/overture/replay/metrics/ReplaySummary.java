package dev.overture.replay.metrics;

import dev.overture.replay.run.TurnSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a run grouped by network profile and mode, each group summarized: latency
 * distributions (p50/p90/p99/max) and counts. First-word latencies are corrected for coordinated
 * omission with each turn's intended interval.
 */
public final class ReplaySummary {

  /** One profile and mode. */
  public static final class Cell {
    public final String profile;
    public final String mode;
    public final Distribution firstWord = new Distribution();
    public final Distribution seam = new Distribution();
    public final Distribution stallLength = new Distribution();
    public final Distribution bargeInYield = new Distribution();
    public final Distribution cloudTtft = new Distribution();
    public int turns;
    public int seams;
    public int stalls;
    public int repeatedWords;
    public int droppedWords;
    public int accepts;
    public int rewinds;
    public int repairs;
    public int fallbacks;
    public int errors;
    private double f1Sum;
    private int f1Count;
    private double tpsSum;
    private int tpsCount;
    public final List<TurnSample> samples = new ArrayList<>();

    Cell(String profile, String mode) {
      this.profile = profile;
      this.mode = mode;
    }

    void add(TurnSample s) {
      samples.add(s);
      turns++;
      if (!Double.isNaN(s.firstWordMs())) {
        firstWord.record(s.firstWordMs(), s.expectedIntervalMs());
      }
      if (s.seamMs() != null) {
        seam.record(Math.max(0, s.seamMs()));
        seams += s.seamMs() > 0 ? 1 : 0;
      }
      stalls += s.stalls();
      if (s.stalls() > 0) {
        stallLength.recordRepeated(s.stallMs() / s.stalls(), s.stalls()); // each stall counts, not each turn
      }
      repeatedWords += s.repeatedWords();
      droppedWords += s.droppedWords();
      if (s.bargeInYieldMs() != null) {
        bargeInYield.record(s.bargeInYieldMs());
      }
      if (s.cloudTtftMs() != null) {
        cloudTtft.record(s.cloudTtftMs());
      }
      if (s.cloudTokensPerSecond() != null) {
        tpsSum += s.cloudTokensPerSecond();
        tpsCount++;
      }
      switch (s.verdict()) {
        case "accept" -> accepts++;
        case "rewind" -> rewinds++;
        case "repair" -> repairs++;
        default -> { }
      }
      fallbacks += s.fallback() != null ? 1 : 0;
      errors += s.error() != null || "failed".equals(s.status()) ? 1 : 0;
      if (s.f1() != null) {
        f1Sum += s.f1();
        f1Count++;
      }
    }

    /** Mean token F1 against the gold answers, in percent, or NaN. */
    public double meanF1() {
      return f1Count == 0 ? Double.NaN : 100 * f1Sum / f1Count;
    }

    /** Mean cloud output tokens per second, or NaN. */
    public double meanTokensPerSecond() {
      return tpsCount == 0 ? Double.NaN : tpsSum / tpsCount;
    }
  }

  private final Map<String, Cell> cells = new LinkedHashMap<>();

  public ReplaySummary(List<TurnSample> samples, List<String> profileOrder, List<String> modeOrder) {
    for (String profile : profileOrder) {
      for (String mode : modeOrder) {
        cells.put(profile + "|" + mode, new Cell(profile, mode));
      }
    }
    for (TurnSample s : samples) {
      cells.computeIfAbsent(s.profile() + "|" + s.mode(), k -> new Cell(s.profile(), s.mode())).add(s);
    }
  }

  public List<Cell> cells() {
    return new ArrayList<>(cells.values());
  }

  public Cell cell(String profile, String mode) {
    return cells.get(profile + "|" + mode);
  }
}
