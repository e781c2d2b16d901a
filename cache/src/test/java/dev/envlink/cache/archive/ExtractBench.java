package dev.envlink.cache.archive;

import dev.envlink.testing.conda.CondaPackageBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java side of {@code bench/extract.sh} (not a test).
 *
 * <pre>
 * build OUT_DIR NAME ROOT [ZSTD_LEVEL]   package the tree ROOT as OUT_DIR/NAME-1.0-0.conda and .tar.bz2
 * extract ARCHIVE DEST                    extract with PackageExtractor, print "seconds files bytes"
 * </pre>
 */
public final class ExtractBench {
    private ExtractBench() {
    }

    public static void main(String[] args) throws IOException {
        switch (args.length > 0 ? args[0] : "") {
            case "build" -> {
                Path out = Path.of(args[1]);
                int level = args.length > 4 ? Integer.parseInt(args[4]) : 10;
                CondaPackageBuilder b = CondaPackageBuilder.create(args[2], "1.0", "0")
                        .fromDirectory(Path.of(args[3]))
                        .zstdLevel(level)
                        .zstdWorkers(Runtime.getRuntime().availableProcessors());
                long t0 = System.nanoTime();
                Path conda = b.writeConda(out);
                long t1 = System.nanoTime();
                Path bz2 = b.writeTarBz2(out);
                long t2 = System.nanoTime();
                System.out.printf("built %s (%.1f s) and %s (%.1f s)%n", conda.getFileName(), (t1 - t0) / 1e9,
                        bz2.getFileName(), (t2 - t1) / 1e9);
            }
            case "extract" -> {
                Path dest = Files.createDirectories(Path.of(args[2]));
                long t0 = System.nanoTime();
                ExtractResult r = new PackageExtractor(ExtractLimits.defaults()).extract(Path.of(args[1]), dest);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%.3f %d %d%n", s, r.files() + r.hardlinks() + r.symlinks(), r.bytes());
            }
            default -> {
                System.err.println("usage: ExtractBench build OUT_DIR NAME ROOT [ZSTD_LEVEL] | extract ARCHIVE DEST");
                System.exit(2);
            }
        }
    }
}
