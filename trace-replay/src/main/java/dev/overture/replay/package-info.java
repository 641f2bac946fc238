/**
 * The latency tester: replays conversation traces ({@link dev.overture.replay.trace}) through real
 * device agents against the real cloud service (or an OpenAI-compatible server for the cloud-only
 * baseline), over an emulated network ({@link dev.overture.replay.network}), and reports how fast
 * the assistant feels ({@link dev.overture.replay.metrics}, {@link dev.overture.replay.report}).
 * docs/latency-testing.md is the guide.
 */
package dev.overture.replay;
