package dev.overture.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Programs that the launcher fronts but whose issue has not landed yet. Each answers with a
 * plain statement and exit code 2; none prints output that could be mistaken for a result.
 * Entries leave this enum as their programs arrive.
 */
enum NotYetAvailable {
  REPLAY("replay", "Replay conversation traces against the service and report latency (trace-replay).");

  private final String name;
  private final String description;

  NotYetAvailable(String name, String description) {
    this.name = name;
    this.description = description;
  }

  String commandName() {
    return name;
  }

  CommandLine command() {
    CommandLine cl = new CommandLine(new Stub(this));
    cl.getCommandSpec().usageMessage().description(description, "", "Not available yet: this program has not been built in this version of Overture.");
    return cl;
  }

  @Command(mixinStandardHelpOptions = true)
  static final class Stub implements Callable<Integer> {
    private final NotYetAvailable program;

    Stub(NotYetAvailable program) {
      this.program = program;
    }

    @Override
    public Integer call() {
      System.err.println("overture " + program.name + ": not available yet in this version (see README.md, 'What works today').");
      return 2;
    }
  }
}
