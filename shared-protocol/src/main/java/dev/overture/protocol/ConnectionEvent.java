package dev.overture.protocol;

/**
 * An event that belongs to one connection rather than to the session: it has sequence number 0,
 * is not counted in the per-direction sequence and is never replayed after a resume.
 */
public sealed interface ConnectionEvent extends Event
    permits SessionResume, SessionResumed, Ping, Pong, GoAway, ErrorEvent {}
