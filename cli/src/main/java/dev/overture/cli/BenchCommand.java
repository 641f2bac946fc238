package dev.overture.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code overture bench <target>}: the project's benchmarks, each printing its own table. */
@Command(
    name = "bench",
    header = "Run a benchmark and print a table for docs/benchmarks.md.",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and print a table for docs/benchmarks.md.",
    subcommands = {BenchLmCommand.class, BenchServiceCommand.class, BenchDeviceCommand.class, BenchOffloadCommand.class})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
