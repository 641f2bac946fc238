package dev.overture.lm.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpertBudgetTest {

  @Test
  void shareOfAllExpertsSpreadsEvenly() {
    assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2}, ExpertBudget.parse("25%").capacities(6, 8, 1000, LayerAllocation.UNIFORM));
  }

  @Test
  void perLayerCount() {
    assertArrayEquals(new int[] {3, 3}, ExpertBudget.parse("3/layer").capacities(2, 8, 1000, LayerAllocation.UNIFORM));
  }

  @Test
  void bytesBecomeWholeExpertsAndTheRemainderGoesShallow() {
    // 7 experts of 1 KiB fit in 7.5 KiB: 2, 2, 2, 1 over four layers.
    assertArrayEquals(new int[] {2, 2, 2, 1}, ExpertBudget.parse("7.5KiB").capacities(4, 8, 1024, LayerAllocation.UNIFORM));
  }

  @Test
  void shallowFirstGivesShallowLayersMore() {
    int[] slots = ExpertBudget.parse("12").capacities(4, 8, 1, LayerAllocation.SHALLOW_FIRST);
    assertTrue(slots[0] > slots[3], java.util.Arrays.toString(slots));
    assertTrue(java.util.Arrays.stream(slots).sum() == 12, java.util.Arrays.toString(slots));
  }

  @Test
  void noLayerHoldsMoreThanItHas() {
    assertArrayEquals(new int[] {8, 8}, ExpertBudget.parse("100/layer").capacities(2, 8, 1, LayerAllocation.UNIFORM));
  }

  @Test
  void badSpecNamesTheForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExpertBudget.parse("lots"));
    assertTrue(e.getMessage().contains("25%"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ExpertBudget.parse("150%"));
  }
}
