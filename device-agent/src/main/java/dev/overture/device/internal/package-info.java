/**
 * The agent's machinery: its event loop, the cloud links (WebSocket with resume, one-shot HTTP),
 * the splitting of cloud text into words. Not API: these classes are public only so that the
 * agent's packages can share them, and may change in any release.
 */
package dev.overture.device.internal;
