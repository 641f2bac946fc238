package dev.overture.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point behind the {@code ./overture} launcher: one subcommand per program.
 *
 */
@Command(
    name = "overture",
    mixinStandardHelpOptions = true,
    versionProvider = OvertureVersion.class,
    description = "Overture: a device-cloud split conversational assistant.",
    footer = {"", "  test      Build everything and run every test (./mvnw -B verify on JDK 21+)."},
    subcommands = {CommandLine.HelpCommand.class})
public final class Overture implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line with every program registered. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Overture());
    cl.setExecutionExceptionHandler(new UserErrorHandler());
    cl.addSubcommand("inspect", new InspectCommand());
    cl.addSubcommand("generate", new GenerateCommand());
    cl.addSubcommand("bench", new BenchCommand());
    cl.addSubcommand("serve", new ServeCommand());
    cl.addSubcommand("demo", new DemoCommand());
    cl.addSubcommand("chat", new ChatCommand());
    cl.addSubcommand("replay", new dev.overture.replay.ReplayCommand());
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
