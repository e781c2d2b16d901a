package dev.envlink.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.PackageCache;
import dev.envlink.link.LinkOptions;
import dev.envlink.testing.conda.CondaPackageBuilder;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Failures and crashes leave the prefix exactly as it was, and the next command cleans up. */
@EnabledOnOs(OS.LINUX)
class TransactionSafetyTest {
    @TempDir
    Path tmp;

    private Path bigPackage(int files, int size) throws IOException {
        CondaPackageBuilder b = CondaPackageBuilder.create("big", "1.0", "0");
        Random r = new Random(3);
        for (int i = 0; i < files; i++) {
            byte[] data = new byte[size];
            r.nextBytes(data);
            b.file("share/big/d" + (i / 100) + "/f" + i + ".bin", data, 0644);
        }
        b.file("clobber.txt", "big's clobber.txt\n");
        return b.writeConda(Files.createDirectories(tmp.resolve("channel")));
    }

    @Test
    void aFullDiskRollsTheInstallBack(@MountedFs(value = FsType.EXT4, sizeMiB = 24) Path small) throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache")); // another filesystem: every file is a copy
        Path prefix = small.resolve("env");
        fx.install(prefix, "clobber-1-0.1.0-h4616a5c_0.tar.bz2");
        Map<String, String> before = Fixture.snapshot(prefix);
        CacheEntry big = fx.cache.add(PackageCache.AddRequest.of(bigPackage(40, 1024 * 1024))).entry();
        CacheEntry two = fx.entry("clobber-2-0.1.0-h4616a5c_0.tar.bz2");
        IOException e = assertThrows(IOException.class, () -> fx.installer.install(prefix,
                List.of(new Installer.Request(two, "clobber-2"), new Installer.Request(big, "big")), false));
        assertTrue(messages(e).contains("No space left on device"), messages(e));
        assertEquals(before, Fixture.snapshot(prefix), "the prefix is exactly as before");
        assertFalse(Files.exists(prefix.resolve("conda-meta/.envlink-transaction.json")));
        assertFalse(Files.exists(prefix.resolve("conda-meta/.envlink-backup")));
        assertTrue(new Verifier().verify(prefix).ok());
    }

    /**
     * Files that are not links (here a binary with a placeholder shorter than the new prefix) are
     * placed on a thread of their own while another package's files are linked: its failure still
     * fails the install, naming the file, after the linking threads have stopped, and the prefix
     * is rolled back with everything they placed.
     */
    @Test
    void aRewriteThatFailsBesideTheLinksRollsEverythingBack() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = withClobberOne(fx);
        Map<String, String> before = Fixture.snapshot(prefix);
        byte[] binary = ("\0\0/opt/p\0tail").getBytes(StandardCharsets.UTF_8);
        Path bad = CondaPackageBuilder.create("shortph", "1.0", "0")
                .binaryFileWithPrefix("lib/libshort.so", binary, 0755, "/opt/p")
                .writeConda(Files.createDirectories(tmp.resolve("channel")));
        CacheEntry shortPh = fx.cache.add(PackageCache.AddRequest.of(bad)).entry();
        CacheEntry big = fx.cache.add(PackageCache.AddRequest.of(bigPackage(2000, 64))).entry();
        IOException e = assertThrows(IOException.class, () -> fx.installer.install(prefix,
                List.of(new Installer.Request(big, "big"), new Installer.Request(shortPh, "shortph")), false));
        assertTrue(messages(e).contains("lib/libshort.so"), messages(e));
        assertEquals(before, Fixture.snapshot(prefix), "the prefix is exactly as before");
        assertFalse(Files.exists(prefix.resolve("share/big")), "the linked files went with the rollback");
        assertFalse(Files.exists(prefix.resolve("conda-meta/.envlink-transaction.json")));
        assertTrue(new Verifier().verify(prefix).ok());
    }

    /** The journal is written on its own thread while the placement is prepared; its failure still stops everything. */
    @Test
    void aJournalThatCannotBeWrittenChangesNothing() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = withClobberOne(fx);
        // The journal's temporary name is taken by a directory: writing the journal fails.
        Path blocker = Files.createDirectories(prefix.resolve("conda-meta/.envlink-transaction.json.tmp"));
        Files.writeString(blocker.resolve("x"), "in the way");
        Map<String, String> before = Fixture.snapshot(prefix);
        IOException e = assertThrows(IOException.class, () -> fx.install(prefix, "clobber-2-0.1.0-h4616a5c_0.tar.bz2",
                "clobber-3-0.1.0-h4616a5c_0.tar.bz2"));
        assertTrue(messages(e).contains(".envlink-transaction.json.tmp"), messages(e));
        assertEquals(before, Fixture.snapshot(prefix), "the prefix is exactly as before");
        assertFalse(Files.exists(prefix.resolve("conda-meta/.envlink-transaction.json")));
        assertTrue(new Verifier().verify(prefix).ok());
    }

    /** A real kill -9 of another process paused in the middle of placing files. */
    @Test
    void killedMidInstallIsRolledBackByTheNextCommand() throws Exception {
        Path cacheRoot = tmp.resolve("cache");
        Fixture fx = new Fixture(cacheRoot);
        Path prefix = withClobberOne(fx);
        Map<String, String> before = Fixture.snapshot(prefix);
        Path archive = bigPackage(400, 8 * 1024);

        Process p = child(cacheRoot, prefix, archive, "-Denvlink.pauseAt=half");
        String line;
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        while ((line = reader.readLine()) != null && !line.startsWith("PAUSED")) {
            said.append(line).append('\n');
        }
        assertTrue(line != null, "the child never reached the pause point: " + said);
        assertTrue(Files.exists(prefix.resolve("share/big")), "half of the files are placed");
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Path journal = prefix.resolve("conda-meta/.envlink-transaction.json");
        assertTrue(Files.exists(journal), "a killed transaction leaves its journal");
        assertFalse(Files.exists(prefix.resolve("conda-meta/big-1.0-0.json")));
        String journalText = Files.readString(journal);
        assertTrue(journalText.contains("\"createdTrees\":[\"share\"]"), journalText);
        assertFalse(journalText.contains("f0.bin"), "files in a new directory are not listed one by one");
        assertTrue(journalText.contains("\"clobber.txt\""), "a file in a directory that exists is listed");

        String recovered = fx.installer.recover(prefix);
        assertTrue(recovered.startsWith("rolled back"), recovered);
        assertEquals(before, Fixture.snapshot(prefix), "the interrupted install left no trace");

        // And the rerun works.
        CacheEntry big = fx.cache.add(PackageCache.AddRequest.of(archive)).entry();
        fx.installer.install(prefix, List.of(new Installer.Request(big, "big")), false);
        assertTrue(new Verifier().verify(prefix).ok());
    }

    /** Death at every step of a transaction: before the commit it is undone, after it finished. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"journal", "backup", "half", "placed", "records", "committed"})
    void aCrashAtAnyPointIsRecovered(String point) throws Exception {
        Path cacheRoot = tmp.resolve("cache");
        Fixture fx = new Fixture(cacheRoot);
        Path prefix = withClobberOne(fx);
        Map<String, String> before = Fixture.snapshot(prefix);
        Path archive = bigPackage(50, 1024);
        crashInChild(cacheRoot, prefix, archive, point);

        String recovered = fx.installer.recover(prefix);
        if (point.equals("committed")) {
            assertTrue(recovered.startsWith("finished"), recovered);
            assertTrue(Files.exists(prefix.resolve("conda-meta/big-1.0-0.json")));
            assertTrue(new Verifier().verify(prefix).ok());
        } else {
            assertTrue(recovered.startsWith("rolled back"), recovered);
            assertEquals(before, Fixture.snapshot(prefix));
        }
        assertFalse(Files.exists(prefix.resolve("conda-meta/.envlink-transaction.json")));
        assertFalse(Files.exists(prefix.resolve("conda-meta/.envlink-backup")));
    }

    /** A journal written by an earlier envlink (every new file and directory listed) still rolls back. */
    @Test
    void aJournalOfAnEarlierVersionIsRolledBack() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = withClobberOne(fx);
        Map<String, String> before = Fixture.snapshot(prefix);
        Files.createDirectories(prefix.resolve("newdir/a"));
        Files.writeString(prefix.resolve("newdir/a/f.txt"), "placed before the crash");
        Files.writeString(prefix.resolve("top.txt"), "placed before the crash");
        Files.writeString(prefix.resolve("conda-meta/.envlink-transaction.json"), "{\"phase\":\"prepared\","
                + "\"command\":\"install\",\"addedRecords\":[\"x-1-0\"],\"removedRecords\":[],"
                + "\"created\":[\"newdir/a/f.txt\",\"newdir/a/g.txt\",\"top.txt\"],\"preexisting\":[],"
                + "\"createdDirs\":[\"newdir\",\"newdir/a\"]}");
        assertTrue(fx.installer.recover(prefix).startsWith("rolled back"));
        assertEquals(before, Fixture.snapshot(prefix));
    }

    /** A journal of a later format is left alone, with a message; nothing in the prefix changes. */
    @Test
    void aJournalOfALaterFormatIsRefused() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = withClobberOne(fx);
        Files.createDirectories(prefix.resolve("newdir/a"));
        Files.writeString(prefix.resolve("newdir/a/f.txt"), "placed before the crash");
        String journal = "{\"format\":3,\"phase\":\"prepared\",\"command\":\"install\",\"createdTrees\":[\"newdir\"]}";
        Files.writeString(prefix.resolve("conda-meta/.envlink-transaction.json"), journal);
        Map<String, String> before = Fixture.snapshot(prefix);
        IOException e = assertThrows(IOException.class, () -> fx.install(prefix, "clobber-2-0.1.0-h4616a5c_0.tar.bz2"));
        assertTrue(e.getMessage().contains(".envlink-transaction.json") && e.getMessage().contains("format 3"),
                e.getMessage());
        assertEquals(before, Fixture.snapshot(prefix), "nothing touched");
        assertEquals(journal, Files.readString(prefix.resolve("conda-meta/.envlink-transaction.json")));
        // The journals this version writes name their format, and are rolled back by it.
        Files.writeString(prefix.resolve("conda-meta/.envlink-transaction.json"), journal.replace(":3,", ":2,"));
        assertTrue(fx.installer.recover(prefix).startsWith("rolled back"));
        assertFalse(Files.exists(prefix.resolve("newdir")));
    }

    /**
     * A new directory's path holding a file at rollback: the transaction died before moving that
     * file to the backup and making the directory, so the file is the user's and stays.
     */
    @Test
    void aFileWhereANewDirectoryWasPlannedIsKept() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = withClobberOne(fx);
        Files.writeString(prefix.resolve("mine"), "the user's file");
        Map<String, String> before = Fixture.snapshot(prefix);
        Files.writeString(prefix.resolve("conda-meta/.envlink-transaction.json"), "{\"phase\":\"prepared\","
                + "\"command\":\"install\",\"createdTrees\":[\"mine\"]}");
        assertTrue(fx.installer.recover(prefix).startsWith("rolled back"));
        assertEquals(before, Fixture.snapshot(prefix));
    }

    /** A tampered journal cannot make rollback delete a tree outside the prefix, or conda-meta. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"../outside", "conda-meta", "."})
    void aJournalNamingATreeOutsideThePackageFilesIsRefused(String tree) throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = withClobberOne(fx);
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "not the prefix's");
        Files.writeString(prefix.resolve("conda-meta/.envlink-transaction.json"), "{\"phase\":\"prepared\","
                + "\"command\":\"install\",\"createdTrees\":[\"" + tree + "\"]}");
        IOException e = assertThrows(IOException.class, () -> fx.installer.recover(prefix));
        assertTrue(e.getMessage().contains(".envlink-transaction.json") && e.getMessage().contains(tree), e.getMessage());
        assertTrue(Files.exists(outside.resolve("keep.txt")));
        assertTrue(Files.exists(prefix.resolve("conda-meta/clobber-1-0.1.0-h4616a5c_0.json")));
        assertTrue(Files.exists(prefix.resolve("clobber.txt")));
    }

    /**
     * A package's directories in conda-meta are listed one by one in the journal, never as a tree
     * (rollback refuses to delete trees there): a crash leaves nothing behind and no stuck prefix.
     */
    @Test
    void aPackageDirectoryInCondaMetaIsRolledBack() throws Exception {
        Path cacheRoot = tmp.resolve("cache");
        Fixture fx = new Fixture(cacheRoot);
        Path prefix = withClobberOne(fx);
        Map<String, String> before = Fixture.snapshot(prefix);
        Path archive = CondaPackageBuilder.create("big", "1.0", "0")
                .file("conda-meta/big-extra/notes.txt", "kept with the package\n")
                .file("share/big/data.txt", "data\n")
                .writeConda(Files.createDirectories(tmp.resolve("channel")));
        crashInChild(cacheRoot, prefix, archive, "placed");
        String journal = Files.readString(prefix.resolve("conda-meta/.envlink-transaction.json"));
        assertTrue(journal.contains("\"conda-meta/big-extra/notes.txt\"") && journal.contains("\"conda-meta/big-extra\""),
                journal);
        assertTrue(fx.installer.recover(prefix).startsWith("rolled back"));
        assertEquals(before, Fixture.snapshot(prefix));
        assertFalse(Files.exists(prefix.resolve("conda-meta/big-extra")));
    }

    /**
     * An update where the old version's file is already gone from where the new version needs a
     * directory: the directory is made after the backup, which must not take it for the old file.
     */
    @Test
    void anUpdateMakesADirectoryWhereAVanishedFileWas() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = tmp.resolve("env");
        Path channel = Files.createDirectories(tmp.resolve("channel"));
        Path one = CondaPackageBuilder.create("shape", "1.0", "0").file("share/shape/x", "a file\n").writeConda(channel);
        Path two = CondaPackageBuilder.create("shape", "2.0", "0").file("share/shape/x/inner.txt", "now a directory\n")
                .writeConda(channel);
        fx.installer.install(prefix, List.of(new Installer.Request(
                fx.cache.add(PackageCache.AddRequest.of(one)).entry(), "shape")), false);
        Files.delete(prefix.resolve("share/shape/x"));
        fx.installer.install(prefix, List.of(new Installer.Request(
                fx.cache.add(PackageCache.AddRequest.of(two)).entry(), "shape")), false);
        assertEquals("now a directory\n", Files.readString(prefix.resolve("share/shape/x/inner.txt")));
        assertTrue(new Verifier().verify(prefix).ok());
    }

    /** A prefix with one small package installed: what a failed transaction must leave as it was. */
    private Path withClobberOne(Fixture fx) throws IOException {
        Path prefix = tmp.resolve("env");
        fx.install(prefix, "clobber-1-0.1.0-h4616a5c_0.tar.bz2");
        return prefix;
    }

    /** Installs the archive in another process that kills itself (exit 137) at a crash point. */
    private static void crashInChild(Path cacheRoot, Path prefix, Path archive, String point) throws Exception {
        Process p = child(cacheRoot, prefix, archive, "-Denvlink.crashAt=" + point);
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), said);
    }

    private static Process child(Path cacheRoot, Path prefix, Path archive, String property) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, property, "-cp", System.getProperty("java.class.path"),
                InstallMain.class.getName(), cacheRoot.toString(), prefix.toString(), archive.toString())
                .redirectErrorStream(true).start();
    }

    @Test
    void verifyCatchesAnEditedHardlinkAndTheDamagedCache() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"),
                LinkOptions.defaults().withMode(dev.envlink.link.LinkMode.HARDLINK));
        Path prefix = tmp.resolve("env");
        fx.install(prefix, "ca-certificates-2024.7.4-hbcca054_0.conda");
        Files.writeString(prefix.resolve("ssl/cacert.pem"), "tampered\n", java.nio.file.StandardOpenOption.APPEND);
        Verifier.Result r = new Verifier().verify(prefix);
        assertEquals(1, r.problems().size(), r.problems().toString());
        Verifier.Problem problem = r.problems().get(0);
        assertEquals("ssl/cacert.pem", problem.path());
        assertEquals(Verifier.Problem.Kind.MODIFIED, problem.kind());
        assertTrue(problem.cacheDamaged(), "the edit leaked into the cache through the hardlink");
        assertFalse(fx.cache.validate(fx.cache.find("ca-certificates-2024.7.4-hbcca054_0").orElseThrow(),
                dev.envlink.cache.ValidationMode.FULL).isEmpty(), "the cache entry is damaged indeed");

        fx.cache.repairEntry(fx.cache.find("ca-certificates-2024.7.4-hbcca054_0").orElseThrow());
        fx.installer.reinstall(prefix, List.of("ca-certificates"));
        assertTrue(new Verifier().verify(prefix).ok());
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" | ");
            for (Throwable s : c.getSuppressed()) {
                sb.append(s).append(" | ");
            }
        }
        return sb.toString();
    }
}
