/**
 * Latency tester that replays conversation traces. <p>Empty in this wave: it arrives with its own issue.
 */
package dev.overture.replay;
