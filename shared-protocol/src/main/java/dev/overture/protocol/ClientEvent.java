package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An event the device sends to the cloud. The JSON member {@code type} selects the record; a type
 * this version does not know decodes as {@link UnknownEvent}, which receivers ignore.
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    include = JsonTypeInfo.As.PROPERTY,
    property = "type",
    visible = true,
    defaultImpl = UnknownEvent.class)
@JsonSubTypes({
  @JsonSubTypes.Type(SessionStart.class),
  @JsonSubTypes.Type(SessionResume.class),
  @JsonSubTypes.Type(Ping.class),
  @JsonSubTypes.Type(TurnStart.class),
  @JsonSubTypes.Type(ContextHistory.class),
  @JsonSubTypes.Type(InputPartial.class),
  @JsonSubTypes.Type(InputFinal.class),
  @JsonSubTypes.Type(OpenerWord.class),
  @JsonSubTypes.Type(OpenerCommit.class),
  @JsonSubTypes.Type(OpenerRewindAck.class),
  @JsonSubTypes.Type(PlaybackProgress.class),
  @JsonSubTypes.Type(TurnCancel.class),
  @JsonSubTypes.Type(TurnTruncate.class),
  @JsonSubTypes.Type(ErrorEvent.class)
})
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClientEvent extends Event
    permits SessionStart, SessionResume, Ping, TurnStart, ContextHistory, InputPartial, InputFinal,
        OpenerWord, OpenerCommit, OpenerRewindAck, PlaybackProgress, TurnCancel, TurnTruncate,
        ErrorEvent, UnknownEvent {}
