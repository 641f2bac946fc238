package dev.overture.android;

import android.graphics.Color;
import android.graphics.Typeface;
import android.text.SpannableStringBuilder;
import android.text.Spanned;
import android.text.style.ForegroundColorSpan;
import android.text.style.RelativeSizeSpan;
import android.text.style.StyleSpan;
import java.util.Arrays;
import java.util.List;

/** The transcript's styles as Android text spans: device words orange, cloud words blue. */
final class TranscriptSpans {

  static final int DEVICE = Color.rgb(0xE6, 0x51, 0x00);
  static final int CLOUD = Color.rgb(0x15, 0x65, 0xC0);
  private static final int DETAILS = Color.GRAY;

  private TranscriptSpans() {}

  static CharSequence of(List<Transcript.Segment> segments) {
    SpannableStringBuilder text = new SpannableStringBuilder();
    for (Transcript.Segment segment : segments) {
      int start = text.length();
      text.append(segment.text());
      int end = text.length();
      switch (segment.style()) {
        case USER:
          text.setSpan(new StyleSpan(Typeface.BOLD), start, end, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE);
          break;
        case DEVICE:
          text.setSpan(new ForegroundColorSpan(DEVICE), start, end, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE);
          break;
        case CLOUD:
          text.setSpan(new ForegroundColorSpan(CLOUD), start, end, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE);
          break;
        default:
          text.setSpan(new ForegroundColorSpan(DETAILS), start, end, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE);
          text.setSpan(new RelativeSizeSpan(0.8f), start, end, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE);
          break;
      }
    }
    return text;
  }

  /** The legend above the transcript. */
  static CharSequence legend() {
    return of(Arrays.asList(
        new Transcript.Segment("device words", Transcript.Style.DEVICE),
        new Transcript.Segment("  ·  ", Transcript.Style.DETAILS),
        new Transcript.Segment("cloud words", Transcript.Style.CLOUD)));
  }
}
