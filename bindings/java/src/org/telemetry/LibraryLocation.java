package org.telemetry;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Where libtelemetry-c.so.1 is: the system property {@code telemetry.library}, else the
 * library of the installation this jar is part of (PREFIX/share/java to PREFIX/lib, in a
 * build tree build/share/java to build/lib), else the system's library path.
 */
final class LibraryLocation {
  static final String PROPERTY = "telemetry.library";

  private LibraryLocation() {}

  /** A path, or the bare name for the system's library search. */
  static String find() {
    String named = System.getProperty(PROPERTY);
    if (named != null && !named.isEmpty()) {
      // JNA takes a name without a slash as a bare library name, a relative path not at all.
      return named.contains("/") ? Path.of(named).toAbsolutePath().toString() : named;
    }
    return besideJar().map(Path::toString).orElse("telemetry-c");
  }

  private static Optional<Path> besideJar() {
    Optional<Path> jarDir = jarDirectory();
    if (jarDir.isEmpty())
      return Optional.empty();
    for (String relative : new String[] {Installation.JAR_DIR_TO_LIBRARY_DIR, "../../lib"}) {
      Path candidate = jarDir.get().resolve(relative).resolve(Installation.LIBRARY_FILE);
      if (Files.isRegularFile(candidate))
        return Optional.of(candidate.normalize());
    }
    return Optional.empty();
  }

  private static Optional<Path> jarDirectory() {
    try {
      CodeSource source = LibraryLocation.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null)
        return Optional.empty();
      Path jar = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(jar) ? Optional.ofNullable(jar.getParent()) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return Optional.empty();
    }
  }
}
