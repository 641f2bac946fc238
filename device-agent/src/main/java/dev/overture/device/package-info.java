/**
 * The on-device agent: a micro language model speaks the first words of every reply at once while
 * the conversation streams to the cloud, whose model continues the sentence where the device
 * stopped.
 *
 * <p>Start with {@link dev.overture.device.OvertureAgent}: build one per app, open a {@link
 * dev.overture.device.Conversation} per dialogue, feed it speech-recognition results and playback
 * progress, and speak the words its {@link dev.overture.device.AgentListener} receives.
 * docs/device-agent.md is the integration guide.
 */
package dev.overture.device;
