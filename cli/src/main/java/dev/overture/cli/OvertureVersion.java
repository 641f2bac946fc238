package dev.overture.cli;

import picocli.CommandLine;

/** Reports the build's version from the jar manifest (or "development" when run from classes). */
final class OvertureVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Overture.class.getPackage().getImplementationVersion();
    return new String[] {
      "overture " + (v == null ? "development" : v),
      "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
    };
  }
}
