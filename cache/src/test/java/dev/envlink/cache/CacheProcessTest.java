package dev.envlink.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.testing.conda.CondaPackageBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Separate processes (not threads) sharing one cache: concurrent adds, and a kill -9 mid-extraction. */
class CacheProcessTest {
    @TempDir
    static Path work;
    static Path bigPackage;

    @BeforeAll
    static void buildBigPackage() throws IOException {
        CondaPackageBuilder b = CondaPackageBuilder.create("big", "1.0", "0");
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[48 * 1024];
            r.nextBytes(data);
            b.file("share/big/d" + (i / 100) + "/f" + i + ".bin", data, 0644);
        }
        bigPackage = b.writeConda(Files.createDirectories(work.resolve("channel")));
    }

    static Process addInAnotherProcess(Path cacheRoot) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CacheAddMain.class.getName(),
                cacheRoot.toString(), bigPackage.toString()).redirectErrorStream(true).start();
    }

    static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void twoProcessesAddTheSamePackageOnce() throws Exception {
        Path cacheRoot = work.resolve("cache-two");
        Process a = addInAnotherProcess(cacheRoot);
        Process b = addInAnotherProcess(cacheRoot);
        String outA = output(a);
        String outB = output(b);
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);
        List<String> outcomes = new ArrayList<>(List.of(outcome(outA), outcome(outB)));
        outcomes.sort(null);
        assertEquals(List.of("EXTRACTED", "REUSED"), outcomes, outA + outB);
        PackageCache cache = PackageCache.open(cacheRoot);
        assertEquals(List.of(), cache.validate(cache.find("big-1.0-0").orElseThrow(), ValidationMode.FULL));
        assertEquals(List.of(), PackageCacheTest.leftovers(cache));
    }

    @Test
    @EnabledOnOs(OS.LINUX) // destroyForcibly is SIGKILL here
    void killedMidExtractionThenRerunGivesAValidEntry() throws Exception {
        Path cacheRoot = work.resolve("cache-kill");
        Path pkgs = cacheRoot.resolve("pkgs");
        Process p = addInAnotherProcess(cacheRoot);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path staging = null;
        while (staging == null && System.nanoTime() < deadline && p.isAlive()) {
            staging = stagingWithFiles(pkgs, 50);
            Thread.sleep(5);
        }
        assertTrue(staging != null, "the other process never started extracting");
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(pkgs.resolve("big-1.0-0")), "no half-extracted entry may be visible");
        assertTrue(Files.exists(staging), "the killed run left its staging dir");

        PackageCache cache = PackageCache.open(cacheRoot);
        assertFalse(Files.exists(staging), "the next run removes the leftover");
        assertEquals(PackageCache.Outcome.EXTRACTED, cache.add(PackageCache.AddRequest.of(bigPackage)).outcome());
        assertEquals(List.of(), cache.validate(cache.find("big-1.0-0").orElseThrow(), ValidationMode.FULL));
    }

    private static Path stagingWithFiles(Path pkgs, int minFiles) throws IOException {
        if (!Files.isDirectory(pkgs)) {
            return null;
        }
        try (Stream<Path> s = Files.list(pkgs)) {
            for (Path d : (Iterable<Path>) s::iterator) {
                if (d.getFileName().toString().startsWith(PackageCache.STAGING_PREFIX)) {
                    try (Stream<Path> files = Files.walk(d)) {
                        if (files.count() >= minFiles) {
                            return d;
                        }
                    } catch (IOException | java.io.UncheckedIOException racing) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static String outcome(String out) {
        return out.lines().filter(l -> l.startsWith("OUTCOME ")).map(l -> l.substring(8)).findFirst().orElse(out);
    }
}
