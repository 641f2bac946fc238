package dev.overture.android;

import static dev.overture.android.Replies.cloud;
import static dev.overture.android.Replies.device;
import static dev.overture.android.Replies.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.android.Transcript.Segment;
import dev.overture.android.Transcript.Style;
import dev.overture.device.TurnStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptTest {

  final Transcript transcript = new Transcript();

  /** A turn whose reply is two device words and two cloud words. */
  private void splitReply() {
    transcript.userSaid(1, "What is a violin?");
    transcript.word(1, device("A", 0));
    transcript.word(1, device(" violin", 1));
    transcript.word(1, cloud(" is", 2));
    transcript.word(1, cloud(" bowed.", 3));
  }

  private String details() {
    List<Segment> segments = transcript.segments();
    return segments.get(segments.size() - 1).text();
  }

  @Test
  void questionIsShownAsTheUsers() {
    splitReply();

    assertEquals(new Segment("You: What is a violin?\n", Style.USER), transcript.segments().get(0));
  }

  @Test
  void replyMarksDeviceWordsAndCloudWords() {
    splitReply();

    assertEquals(List.of(new Segment("A violin", Style.DEVICE), new Segment(" is bowed.", Style.CLOUD)),
        transcript.segments().subList(1, 3));
  }

  @Test
  void detailsShowTheFirstWordTime() {
    splitReply();

    assertTrue(details().contains("first word 3.0 ms"), details());
  }

  @Test
  void detailsShowHowTheTurnEnded() {
    splitReply();

    transcript.turnDone(1, done(TurnStatus.COMPLETED, "A violin is bowed."));

    assertTrue(details().contains("2 device + 3 cloud words · complete"), details());
  }

  @Test
  void rewindDropsWordsFromTheReply() {
    splitReply();

    transcript.dropFrom(1, 1);

    assertEquals(new Segment("A", Style.DEVICE), transcript.segments().get(1));
  }

  @Test
  void interruptedReplyKeepsOnlyTheWordsHeard() {
    splitReply();

    transcript.turnDone(1, done(TurnStatus.CANCELLED, "A violin"));

    assertEquals(Style.DETAILS, transcript.segments().get(2).style());
  }

  @Test
  void wordsOfATurnWithoutAQuestionAreIgnored() {
    transcript.word(7, device("A", 0));

    assertEquals(List.of(), transcript.segments());
  }

  @Test
  void oldestTurnsLeaveTheView() {
    for (int turn = 1; turn <= Transcript.KEPT_TURNS + 1; turn++) {
      transcript.userSaid(turn, "question " + turn);
    }

    assertEquals("You: question 2\n", transcript.segments().get(0).text());
  }
}
