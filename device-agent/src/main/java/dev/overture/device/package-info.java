/**
 * On-device agent: speaks the first words of a reply with a micro language model while the context streams to the cloud. <p>Empty in this wave: the agent arrives with its own issue; it will build on {@code shared-protocol} and {@code lm-runtime}.
 */
package dev.overture.device;
