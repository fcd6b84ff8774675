import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the class files of a jar that are older than Java 6 (major version 50) as Java 8 class files with stack map
 * frames, in place. The JDK's AOT cache skips such old classes once they have been linked, so an old jar (picocli is
 * compiled for Java 5) is loaded, verified and linked again in every run. The bytecode itself is unchanged; only the
 * version and the frames the newer verifier needs are added. Needs JDK 24+ (java.lang.classfile).
 *
 * <p>Usage: {@code java ci/lib/ModernizeJar.java JAR}
 */
public final class ModernizeJar {
  private static final int TARGET_MAJOR = 52;

  private ModernizeJar() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java ModernizeJar.java JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Path tmp = Files.createTempFile(jar.toAbsolutePath().getParent(), jar.getFileName().toString(), ".tmp");
    int rewritten = 0;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        ZipFile in = new ZipFile(jar.toFile());
        OutputStream file = Files.newOutputStream(tmp);
        ZipOutputStream out = new ZipOutputStream(file)) {
      // frames need the class hierarchy: the JDK's own classes, then the jar's, read without loading them
      ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
          ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
              .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
      for (ZipEntry entry : Collections.list(in.entries())) {
        byte[] data = in.getInputStream(entry).readAllBytes();
        if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
          ClassModel model = classFile.parse(data);
          if (model.majorVersion() < 50) {
            data = classFile.transformClass(model, (builder, element) -> {
              if (element instanceof ClassFileVersion) {
                builder.withVersion(TARGET_MAJOR, 0);
              } else if (element instanceof MethodModel method) {
                builder.transformMethod(method, MethodTransform.transformingCode(CodeTransform.ACCEPT_ALL));
              } else {
                builder.with(element);
              }
            });
            rewritten++;
          }
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        out.putNextEntry(copy);
        out.write(data);
        out.closeEntry();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    System.out.println(jar.getFileName() + ": " + rewritten + " classes rewritten as Java 8 class files");
  }
}
