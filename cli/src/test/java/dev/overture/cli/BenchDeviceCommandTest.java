package dev.overture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchDeviceCommandTest {

  @Test
  void roundTripsAreAListOfMilliseconds() {
    assertEquals(List.of(50L, 150L), BenchDeviceCommand.roundTrips("50, 150"));
  }

  @Test
  void noneOrAnEmptyListSkipsTheSeamRuns() {
    assertEquals(List.of(), BenchDeviceCommand.roundTrips("none"));
    assertEquals(List.of(), BenchDeviceCommand.roundTrips(""));
  }

  @Test
  void aRoundTripThatIsNotANonNegativeNumberIsRefusedNamingTheOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchDeviceCommand.roundTrips("50,x")).getMessage().startsWith("--rtts: 'x'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchDeviceCommand.roundTrips("-5")).getMessage().contains("negative"));
  }
}
