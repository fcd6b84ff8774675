import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Merges the jars of a class path into one jar that the class loader reads as it read them in order. Every lookup the
 * JDK makes on the class path (a class the AOT cache does not hold, a {@code ServiceLoader} lookup such as the NIO
 * selector provider's or the time-zone rules', the {@code System.Logger} backend on the first process start) opens
 * each jar of the path and reads its manifest, a cost on every start that grows with the number of jars.
 *
 * <ul>
 *   <li>An entry that several jars hold comes from the first, as the class path resolves it; a class in two jars is
 *       reported.
 *   <li>{@code META-INF/services} files are joined (every provider of every jar once, in class path order, with each
 *       file's comments), as are Netty's {@code META-INF/io.netty.versions.properties} (one key set per artifact).
 *   <li>{@code META-INF/versions} entries are kept for jars whose manifest says {@code Multi-Release: true}, and only
 *       for classes that jar provides; the merged jar is multi-release when any input was.
 *   <li>Manifests, jar indexes, signatures and {@code module-info} classes (ignored on the class path) are left out;
 *       each jar's licence and notice files are also kept under {@code META-INF/licenses/JAR-NAME/}.
 * </ul>
 *
 * <p>Usage: {@code java ci/lib/MergeJars.java OUT JAR...} (the jars in class path order). Needs JDK 21+.
 */
public final class MergeJars {
  private static final String VERSIONS = "META-INF/versions/";
  private static final String SERVICES = "META-INF/services/";
  private static final Set<String> JOINED = Set.of("META-INF/io.netty.versions.properties");

  private MergeJars() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: java MergeJars.java OUT JAR...");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Map<String, String> origin = new HashMap<>(); // entry name -> jar it came from
    Map<String, List<String>> joined = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    boolean multiRelease = false;
    int dropped = 0;
    List<String> shadowedClasses = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      Path jar = Path.of(args[i]);
      String jarName = jar.getFileName().toString();
      try (ZipFile in = new ZipFile(jar.toFile())) {
        boolean mr = isMultiRelease(in);
        multiRelease |= mr;
        List<ZipEntry> all = new ArrayList<>(Collections.list(in.entries()));
        // versioned entries after the base ones, whatever the jar's order: they are checked against them
        all.sort(Comparator.comparing((ZipEntry e) -> e.getName().startsWith(VERSIONS)));
        for (ZipEntry e : all) {
          String name = e.getName();
          if (e.isDirectory() || skipped(name)) {
            continue;
          }
          if (name.startsWith(SERVICES) || JOINED.contains(name)) {
            List<String> into = joined.computeIfAbsent(name, k -> new ArrayList<>());
            for (String line : lines(in, e)) {
              // a provider (or property) once; comments, such as each file's licence header, as they are
              if (line.startsWith("#") || !into.contains(line)) {
                into.add(line);
              }
            }
            continue;
          }
          if (name.startsWith(VERSIONS)) {
            String base = name.substring(name.indexOf('/', VERSIONS.length()) + 1);
            String baseOrigin = origin.get(base);
            if (!mr || (baseOrigin != null && !baseOrigin.equals(jarName))) {
              dropped++;
              continue;
            }
          }
          if (isLegal(name)) {
            entries.add(new Entry("META-INF/licenses/" + jarName + "/" + name.substring("META-INF/".length()),
                read(in, e), e.getTime()));
          }
          String first = origin.putIfAbsent(name, jarName);
          if (first == null) {
            entries.add(new Entry(name, read(in, e), e.getTime()));
          } else {
            dropped++;
            if (name.endsWith(".class")) {
              shadowedClasses.add(name + " (" + jarName + ", kept from " + first + ")");
            }
          }
        }
      }
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (multiRelease) {
      manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
    }
    manifest.getMainAttributes().putValue("Created-By", "ci/lib/MergeJars.java from " + (args.length - 1) + " jars");
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName().toString(), ".tmp");
    try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.putNextEntry(new ZipEntry(JarFile.MANIFEST_NAME));
      manifest.write(zip);
      zip.closeEntry();
      Set<String> written = new HashSet<>();
      for (Entry e : entries) {
        if (written.add(e.name())) {
          write(zip, e);
        }
      }
      for (Map.Entry<String, List<String>> j : joined.entrySet()) {
        String text = String.join("\n", j.getValue()) + "\n";
        write(zip, new Entry(j.getKey(), text.getBytes(StandardCharsets.UTF_8), 0));
      }
    }
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    for (String c : shadowedClasses) {
      System.err.println("MergeJars: warning: a class in two jars, the first kept as on the class path: " + c);
    }
    System.err.println("MergeJars: " + (args.length - 1) + " jars -> " + out.getFileName() + " (" + entries.size()
        + " entries, " + joined.size() + " joined files, " + dropped + " shadowed entries left out)");
  }

  private static boolean skipped(String name) {
    // INDEX.LIST: an old jar index, which would describe one of the inputs only
    if (name.equals(JarFile.MANIFEST_NAME) || name.equals("META-INF/INDEX.LIST")
        || name.endsWith("module-info.class")) {
      return true;
    }
    if (name.startsWith("META-INF/") && name.indexOf('/', "META-INF/".length()) < 0) {
      return name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA") || name.endsWith(".EC");
    }
    return false;
  }

  private static boolean isLegal(String name) {
    if (!name.startsWith("META-INF/")) {
      return false;
    }
    String file = name.substring(name.lastIndexOf('/') + 1).toUpperCase(java.util.Locale.ROOT);
    return file.startsWith("LICENSE") || file.startsWith("NOTICE");
  }

  private static boolean isMultiRelease(ZipFile in) throws IOException {
    ZipEntry m = in.getEntry(JarFile.MANIFEST_NAME);
    if (m == null) {
      return false;
    }
    try (InputStream s = in.getInputStream(m)) {
      return "true".equalsIgnoreCase(new Manifest(s).getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE));
    }
  }

  private static List<String> lines(ZipFile in, ZipEntry e) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : new String(read(in, e), StandardCharsets.UTF_8).split("\\R")) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines;
  }

  private static byte[] read(ZipFile in, ZipEntry e) throws IOException {
    try (InputStream s = in.getInputStream(e)) {
      return s.readAllBytes();
    }
  }

  private static void write(ZipOutputStream zip, Entry e) throws IOException {
    ZipEntry z = new ZipEntry(e.name());
    if (e.time() > 0) {
      z.setTime(e.time());
    }
    zip.putNextEntry(z);
    zip.write(e.data());
    zip.closeEntry();
  }

  private record Entry(String name, byte[] data, long time) {}
}
