package dev.overture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OvertureTest {

  /** Every command that lists programs, the root included, with its path ("overture bench"). */
  private static void commandsWithPrograms(String path, CommandLine command, Map<String, CommandLine> into) {
    Map<String, CommandLine> programs = command.getSubcommands();
    if (programs.keySet().stream().anyMatch(name -> !name.equals("help"))) {
      into.put(path, command);
    }
    programs.forEach((name, sub) -> {
      if (!name.equals("help")) {
        commandsWithPrograms(path + " " + name, sub, into);
      }
    });
  }

  @Test
  void everyProgramIsListedOnOneLineWithAWholeSentence() {
    Map<String, CommandLine> lists = new java.util.LinkedHashMap<>();
    commandsWithPrograms("overture", Overture.commandLine(), lists);
    assertTrue(lists.keySet().containsAll(List.of("overture", "overture bench", "overture replay")), lists.keySet().toString());
    List<String> cut = new ArrayList<>();
    lists.forEach((path, command) -> {
      List<String> lines = command.getUsageMessage().lines().toList();
      int at = lines.indexOf("Commands:");
      assertTrue(at >= 0, path + " lists its programs");
      for (String name : command.getSubcommands().keySet()) {
        if (name.equals("help")) {
          continue;
        }
        // A program's line starts with its name; picocli wraps a long one onto an indented next line.
        int line = -1;
        for (int i = at + 1; i < lines.size(); i++) {
          if (lines.get(i).matches(" {2}" + name + " +\\S.*")) {
            line = i;
          }
        }
        boolean whole = line >= 0 && lines.get(line).endsWith(".")
            && (line + 1 == lines.size() || !lines.get(line + 1).matches(" {3,}\\S.*"));
        if (!whole) {
          cut.add(path + " " + name + ": " + (line >= 0 ? lines.get(line) : "(not listed)"));
        }
      }
    });
    assertEquals(List.of(), cut, "programs whose line in the command list is cut or wrapped");
  }

  @Test
  void theLaunchersTestLineFitsTheCommandList() {
    String usage = Overture.commandLine().getUsageMessage();
    List<String> test = usage.lines().filter(line -> line.startsWith("  test ")).toList();
    assertEquals(1, test.size(), usage);
    assertTrue(test.get(0).length() <= 80 && test.get(0).endsWith("."), test.get(0));
  }

  @Test
  void everyDescriptionLineIsAWholeParagraphOrAnExample() {
    // picocli wraps each description element on its own; an element that stops mid-sentence leaves a
    // ragged short line in the middle of the help text.
    Map<String, CommandLine> all = new java.util.LinkedHashMap<>();
    everyCommand("overture", Overture.commandLine(), all);
    List<String> ragged = new ArrayList<>();
    all.forEach((path, command) -> {
      for (String element : command.getCommandSpec().usageMessage().description()) {
        boolean example = element.startsWith(" ");
        if (!example && !element.isEmpty() && !element.matches("(?s).*[.:)]")) {
          ragged.add(path + ": " + element);
        }
        if (example && element.length() > 80) { // picocli would break the command line mid-word
          ragged.add(path + ": " + element);
        }
      }
    });
    assertEquals(List.of(), ragged, "description elements that stop mid-sentence, or examples wider than 80 columns");
  }

  private static void everyCommand(String path, CommandLine command, Map<String, CommandLine> into) {
    into.put(path, command);
    command.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        everyCommand(path + " " + name, sub, into);
      }
    });
  }
}
