package dev.overture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChatCommandTest {

  @Test
  void aUserRateThatIsNotPositiveIsRefusedBeforeAnythingStarts() {
    for (String rate : new String[] {"0", "-1", "Infinity"}) {
      CommandLine cl = Overture.commandLine();
      StringWriter err = new StringWriter();
      cl.setOut(new PrintWriter(new StringWriter()));
      cl.setErr(new PrintWriter(err));
      int code = cl.execute("chat", "--mode", "device-only", "--user-rate", rate);
      assertEquals(1, code, rate + ": " + err);
      assertTrue(err.toString().contains("overture chat: --user-rate must be a positive number"), err.toString());
    }
  }
}
