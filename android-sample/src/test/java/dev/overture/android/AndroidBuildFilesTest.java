package dev.overture.android;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Gradle build stays in step with the Maven module it cannot be checked against here (no Android SDK): the
 * identity, SDK levels and versions in build.gradle are the pom's (passed in as system properties), and the
 * manifest leaves them to the build.
 */
class AndroidBuildFilesTest {

  static final Path GRADLE = Path.of("build.gradle");
  static final Path MANIFEST = Path.of("src/main/AndroidManifest.xml");

  private static String read(Path file) throws IOException {
    return Files.readString(file);
  }

  /** The value of a {@code key value} line of build.gradle, quotes removed, or null. */
  private static String gradleValue(String key) throws IOException {
    Matcher line = Pattern.compile("(?m)^\\s*" + key + "\\s+'?([^'\\s]+)'?\\s*$").matcher(read(GRADLE));
    return line.find() ? line.group(1) : null;
  }

  @ParameterizedTest
  @CsvSource({
      "namespace, android.applicationId",
      "applicationId, android.applicationId",
      "compileSdk, android.compileSdk",
      "minSdk, android.minSdk",
      "targetSdk, android.targetSdk",
      "versionCode, android.versionCode",
      "versionName, android.versionName"})
  void gradleBuildDeclaresThePomsValue(String key, String property) throws IOException {
    String expected = System.getProperty(property);
    assertNotNull(expected, property + " is not set: run the tests through the build");

    assertEquals(expected, gradleValue(key), key);
  }

  @Test
  void gradleBuildUsesTheAgentOfThisVersion() throws IOException {
    String dependency = "implementation 'dev.overture:device-agent:" + System.getProperty("overture.version") + "'";

    assertTrue(read(GRADLE).contains(dependency), dependency);
  }

  @Test
  void gradleBuildBundlesTheModelTheAppLoads() throws IOException {
    assertTrue(read(GRADLE).contains("include '" + MainActivity.MODEL_ASSET + "'"));
  }

  @Test
  void gradleBuildStoresTheModelUncompressed() throws IOException {
    assertTrue(read(GRADLE).contains("noCompress 'gguf'"));
  }

  @Test
  void manifestLeavesThePackageAndSdkLevelsToTheBuild() throws IOException {
    String manifest = read(MANIFEST);

    assertFalse(manifest.contains("package=") || manifest.contains("<uses-sdk"), "set them in pom.xml and build.gradle");
  }
}
