package dev.overture.replay.run;

import java.util.List;

/**
 * Compares the words spoken with the words of the reply (opener plus continuation): a longest
 * common subsequence leaves the words spoken that the reply does not have there (repeated at a
 * splice) and the reply's words never spoken (dropped).
 */
final class SpliceCheck {

  private SpliceCheck() {}

  /** Returns {repeated, dropped}. */
  static int[] diff(List<String> spoken, List<String> reply) {
    int n = spoken.size();
    int m = reply.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = spoken.get(i).equals(reply.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int common = lcs[0][0];
    return new int[] {n - common, m - common};
  }
}
