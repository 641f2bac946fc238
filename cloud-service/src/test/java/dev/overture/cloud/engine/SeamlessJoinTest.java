package dev.overture.cloud.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeamlessJoinTest {

  private static String join(String prefix, String... pieces) {
    SeamlessJoin join = new SeamlessJoin(prefix);
    StringBuilder out = new StringBuilder();
    for (String piece : pieces) {
      out.append(join.accept(piece));
    }
    return out.append(join.finish()).toString();
  }

  @Test
  void aContinuationWithItsOwnSpacePassesUnchanged() {
    assertThat(join("Sure, I love electronic", " music,", " especially", " ambient.")).isEqualTo(" music, especially ambient.");
  }

  @Test
  void punctuationRightAfterTheLastWordPassesUnchanged() {
    assertThat(join("Brian Eno", ", mostly", " his records.")).isEqualTo(", mostly his records.");
  }

  @Test
  void aFirstPieceThatWouldGlueOntoTheLastWordGetsASpace() {
    assertThat(join("Sure, I love electronic", "music", " too.")).isEqualTo(" music too.");
  }

  @Test
  void aRepeatedLastWordIsDropped() {
    assertThat(join("Sure, I love electronic", " electronic", " music.")).isEqualTo(" music.");
  }

  @Test
  void aRepeatIsRecognisedWhateverItsCaseAndPunctuation() {
    assertThat(join("I mean Canberra,", " canberra", " is the capital.")).isEqualTo(" is the capital.");
  }

  @Test
  void aRepeatSplitAcrossPiecesIsRecognised() {
    assertThat(join("I love elec tronic", " tro", "nic", " music")).isEqualTo(" music");
  }

  @Test
  void afterAnEmptyPrefixLeadingSpacesAreDropped() {
    assertThat(join("", "  Hello", " there.")).isEqualTo("Hello there.");
  }

  @Test
  void theFirstWordIsHeldUntilItIsComplete() {
    SeamlessJoin join = new SeamlessJoin("I love");
    assertThat(join.accept(" mus")).isEmpty();
    assertThat(join.accept("ic")).isEmpty();
    assertThat(join.accept(" a")).isEqualTo(" music a");
    assertThat(join.accept("lot")).isEqualTo("lot");
  }

  @Test
  void aLoneRepeatedWordLeavesNothing() {
    assertThat(join("It was great", " great")).isEmpty();
  }

  @Test
  void aPrefixEndingInPunctuationOnlyIsNotComparedAsAWord() {
    assertThat(join("Well —", " —", " no.")).isEqualTo(" — no.");
  }

  @Test
  void endsInWordIsTrueOnlyAfterANonSeparator() {
    assertThat(SeamlessJoin.endsInWord("Sure,")).isTrue();
    assertThat(SeamlessJoin.endsInWord("Sure, ")).isFalse();
    assertThat(SeamlessJoin.endsInWord("")).isFalse();
  }

  @Test
  void textWrittenWithoutSpacesJoinsDirectly() {
    assertThat(join("我喜欢", "音乐", "。")).isEqualTo("音乐。");
    assertThat(join("ありがとう", " ございます")).isEqualTo("ございます");
    assertThat(SeamlessJoin.endsInWord("我喜欢")).isFalse();
    assertThat(SeamlessJoin.endsInWord("I like")).isTrue();
  }

  @Test
  void afterASeparatorTextIsReleasedWithoutWaitingForAWholeWord() {
    SeamlessJoin join = new SeamlessJoin("Sure, ");
    assertThat(join.accept(" mus")).isEqualTo("mus");
    assertThat(join.accept("ic")).isEqualTo("ic");
  }

  @Test
  void aWordThatEndedASentenceMayBeginTheNextOne() {
    assertThat(join("I'd suggest learning Python.", " Python", " is easy to read.")).isEqualTo(" Python is easy to read.");
  }

  @Test
  void afterChinesePunctuationTheNextCharacterFollowsDirectly() {
    assertThat(join("好的，", "我们", "走吧")).isEqualTo("我们走吧");
    assertThat(SeamlessJoin.endsInWord("好的，")).isFalse();
  }

  @Test
  void afterTheKatakanaLongVowelMarkTheNextCharacterFollowsDirectly() {
    assertThat(join("コーヒー", "が好き")).isEqualTo("が好き");
  }

  @Test
  void afterOpeningPunctuationOrADashTheNextWordFollowsDirectly() {
    assertThat(join("{\"name\": \"", "John", "\"}")).isEqualTo("John\"}");
    assertThat(join("He is (", "mostly", ") right.")).isEqualTo("mostly) right.");
    assertThat(join("a well-", "known", " fact")).isEqualTo("known fact");
    assertThat(join("She said \u201c", "yes", ".\u201d")).isEqualTo("yes.\u201d");
  }

  @Test
  void afterAClosingQuoteOrCommaAWordStillGetsItsSpace() {
    assertThat(join("He said \"hi\"", "and", " left.")).isEqualTo(" and left.");
    assertThat(join("Hello,", "world")).isEqualTo(" world");
    assertThat(join("In 1969", "astronauts", " landed.")).isEqualTo(" astronauts landed.");
    assertThat(join("Er sagte \u201eja\u201c", " und", " ging.")).isEqualTo(" und ging."); // German closes with \u201c
  }
}
