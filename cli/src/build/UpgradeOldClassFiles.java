import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step, run on the shaded jar after maven-shade (see cli/pom.xml):
 * {@code java -cp asm.jar UpgradeOldClassFiles.java JAR}.
 *
 * <p>The JVM's class-data archive (AppCDS, and the AOT cache on 25+) skips classes older than
 * Java 6 and classes that need the old type-inferring verifier, so they are loaded, parsed and
 * verified again in every run. picocli ships Java 5 class files: ~230 classes, ~30 ms of every
 * envlink start. This rewrites each class file older than version 50 as version 50 with stack
 * map frames computed by ASM, so the split verifier accepts it once, when the archive is made.
 * Nothing else in the class changes. Entries keep their order, names and timestamps (the jar
 * stays reproducible). Fails the build if any rewritten class cannot be framed.
 */
public final class UpgradeOldClassFiles {
    private static final int JAVA_6 = 50;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: UpgradeOldClassFiles JAR");
        }
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int upgraded = 0;
        // Classes named in frames are resolved against the jar itself (and the JDK) to find
        // common super classes.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
             ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().endsWith(".class") && !e.getName().contains("module-info")
                        && majorVersion(bytes) < JAVA_6) {
                    bytes = upgrade(bytes, loader, e.getName());
                    upgraded++;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                if (e.getExtra() != null) {
                    copy.setExtra(e.getExtra());
                }
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (upgraded == 0) {
            Files.delete(tmp);
        } else {
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("UpgradeOldClassFiles: " + upgraded + " class files of " + jar.getFileName()
                + " upgraded to version " + JAVA_6 + " with stack map frames");
    }

    private static int majorVersion(byte[] c) {
        if (c.length < 8 || (c[0] & 0xff) != 0xca || (c[1] & 0xff) != 0xfe) {
            return Integer.MAX_VALUE; // not a class file: leave it alone
        }
        return ((c[6] & 0xff) << 8) | (c[7] & 0xff);
    }

    private static byte[] upgrade(byte[] bytes, ClassLoader loader, String name) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return loader;
            }
        };
        try {
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9, w) {
                @Override
                public void visit(int version, int access, String cls, String signature, String superName,
                                  String[] interfaces) {
                    super.visit(Opcodes.V1_6, access, cls, signature, superName, interfaces);
                }
            }, 0);
            return w.toByteArray();
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + ": cannot compute stack map frames: " + e, e);
        }
    }

    private UpgradeOldClassFiles() {
    }
}
