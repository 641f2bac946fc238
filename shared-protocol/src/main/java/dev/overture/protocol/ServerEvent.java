package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An event the cloud sends to the device. The JSON member {@code type} selects the record; a type
 * this version does not know decodes as {@link UnknownEvent}, which receivers ignore.
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    include = JsonTypeInfo.As.PROPERTY,
    property = "type",
    visible = true,
    defaultImpl = UnknownEvent.class)
@JsonSubTypes({
  @JsonSubTypes.Type(SessionStarted.class),
  @JsonSubTypes.Type(SessionResumed.class),
  @JsonSubTypes.Type(Pong.class),
  @JsonSubTypes.Type(GoAway.class),
  @JsonSubTypes.Type(OpenerAccept.class),
  @JsonSubTypes.Type(OpenerRewind.class),
  @JsonSubTypes.Type(OpenerRepair.class),
  @JsonSubTypes.Type(ContinuationDelta.class),
  @JsonSubTypes.Type(ContinuationDone.class),
  @JsonSubTypes.Type(TurnTruncated.class),
  @JsonSubTypes.Type(ErrorEvent.class)
})
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerEvent extends Event
    permits SessionStarted, SessionResumed, Pong, GoAway, OpenerAccept, OpenerRewind, OpenerRepair,
        ContinuationDelta, ContinuationDone, TurnTruncated, ErrorEvent, UnknownEvent {}
