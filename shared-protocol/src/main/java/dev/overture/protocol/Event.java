package dev.overture.protocol;

/**
 * One event of the handoff protocol, in either direction.
 *
 * <p>Every event carries an {@linkplain #eventId() id} that is unique among the events its sender
 * sent in the session, and a {@linkplain #seq() sequence number}. Numbered events count from 1 per
 * direction and session, one more per event, and survive a resumed connection; {@link
 * ConnectionEvent connection events} carry sequence number 0 and are never replayed. The wire name
 * of an event's type is its record's {@code TYPE} constant.
 */
public sealed interface Event permits ClientEvent, ServerEvent, TurnEvent, ConnectionEvent {

  /** Sender-chosen id, 1 to 64 characters from {@code [A-Za-z0-9._:-]}. */
  String eventId();

  /** Per-direction sequence number: 1, 2, 3... for numbered events, 0 for connection events. */
  long seq();
}
