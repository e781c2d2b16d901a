import dev.envlink.testing.conda.CondaPackageBuilder;
import java.nio.file.Path;

/**
 * Rebuilds the example packages in examples/packages with the testing module's builder:
 *   java -cp <envlink-testing and its dependencies> examples/BuildExamples.java
 */
public class BuildExamples {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "examples/packages");
        String ph = CondaPackageBuilder.DEFAULT_PLACEHOLDER;
        CondaPackageBuilder.create("hello", "1.0", "0")
                .textFileWithPrefix("bin/hello", "#!/bin/sh\n"
                        + "# The prefix below was written into this file at install time.\n"
                        + "echo \"hello from " + ph + "\"\n"
                        + "cat \"" + ph + "/share/hello-data/greeting.txt\"\n", ph, 0755)
                .file("share/hello/README.txt", "An example package for envlink.\n")
                .file("lib/libhello.so.1", "not really a library\n")
                .symlink("lib/libhello.so", "libhello.so.1")
                .depends("hello-data")
                .writeConda(out);
        CondaPackageBuilder.create("hello-data", "1.0", "0")
                .file("share/hello-data/greeting.txt", "Placed by reflink, hardlink or copy: see envlink list.\n")
                .file("share/hello-data/big.txt", "x".repeat(200_000) + "\n")
                .writeTarBz2(out);
    }
}
