package dev.envlink.cache.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Packages without info/paths.json: info/files, info/has_prefix, info/no_link, info/no_softlink. */
class LegacyPathsTest {

    private static final String DEFAULT = PathsJson.DEFAULT_PLACEHOLDER;

    @TempDir
    Path tmp;

    private Path pkg(String files, String hasPrefix, String noLink) throws IOException {
        Path pkg = tmp.resolve("legacy-1.0-0");
        Files.createDirectories(pkg.resolve("info"));
        Files.writeString(pkg.resolve("info/index.json"),
                "{\"name\": \"legacy\", \"version\": \"1.0\", \"build\": \"0\", \"build_number\": 0}");
        Files.writeString(pkg.resolve("info/files"), files);
        if (hasPrefix != null) {
            Files.writeString(pkg.resolve("info/has_prefix"), hasPrefix);
        }
        if (noLink != null) {
            Files.writeString(pkg.resolve("info/no_link"), noLink);
        }
        return pkg;
    }

    @Test
    void filesOnly() throws IOException {
        Path pkg = pkg("bin/a\n\n  lib/b.so  \r\n# a comment\nshare/c d.txt\n", null, null);
        PathsJson p = PathsJson.fromLegacy(pkg.resolve("info"));
        assertEquals(1, p.version());
        assertEquals(List.of(PathEntry.file("bin/a"), PathEntry.file("lib/b.so"), PathEntry.file("share/c d.txt")),
                p.paths());
    }

    @Test
    void hasPrefixPathOnlyLinesUseTheDefaultPlaceholderInTextMode() throws IOException {
        Path pkg = pkg("bin/a\nbin/b\n", "bin/a\n", null);
        PathsJson p = PathsJson.fromLegacy(pkg.resolve("info"));
        assertEquals(new PathEntry("bin/a", PathType.HARDLINK, null, null, DEFAULT, FileMode.TEXT, false), p.paths().get(0));
        assertEquals(PathEntry.file("bin/b"), p.paths().get(1));
    }

    @Test
    void hasPrefixThreeFieldLines() throws IOException {
        Path pkg = pkg("bin/a\nlib/b.so\nlib/pkgconfig/z.pc\nshare/with space.txt\nScripts/x.bat\nlib/q\n", """
                /opt/build/env_placehold text bin/a
                /opt/build/env_placehold binary lib/b.so
                "/opt/quoted placeholder" BINARY "lib/pkgconfig/z.pc"
                '/opt/single' text 'share/with space.txt'
                C:\\bld\\_h_env text Scripts/x.bat
                \t/tabs\t\ttext\tlib/q
                """, null);
        PathsJson p = PathsJson.fromLegacy(pkg.resolve("info"));
        assertEquals(List.of(
                new PathEntry("bin/a", PathType.HARDLINK, null, null, "/opt/build/env_placehold", FileMode.TEXT, false),
                new PathEntry("lib/b.so", PathType.HARDLINK, null, null, "/opt/build/env_placehold", FileMode.BINARY, false),
                new PathEntry("lib/pkgconfig/z.pc", PathType.HARDLINK, null, null, "/opt/quoted placeholder", FileMode.BINARY, false),
                new PathEntry("share/with space.txt", PathType.HARDLINK, null, null, "/opt/single", FileMode.TEXT, false),
                // no escape characters: Windows placeholders keep their backslashes (as conda's shlex posix=False)
                new PathEntry("Scripts/x.bat", PathType.HARDLINK, null, null, "C:\\bld\\_h_env", FileMode.TEXT, false),
                new PathEntry("lib/q", PathType.HARDLINK, null, null, "/tabs", FileMode.TEXT, false)), p.paths());
    }

    @Test
    void quotedPathAlone() throws IOException {
        Path pkg = pkg("share/a b\n", "\"share/a b\"\n", null);
        assertEquals(DEFAULT, PathsJson.fromLegacy(pkg.resolve("info")).paths().get(0).prefixPlaceholder());
    }

    @Test
    void hasPrefixForUnlistedFileIsIgnored() throws IOException {
        Path pkg = pkg("bin/a\n", "/p text bin/other\n", null);
        assertEquals(List.of(PathEntry.file("bin/a")), PathsJson.fromLegacy(pkg.resolve("info")).paths());
    }

    @Test
    void noLinkAndNoSoftlink() throws IOException {
        Path pkg = pkg("bin/a\nbin/b\nbin/c\n", null, "bin/a\n");
        Files.writeString(pkg.resolve("info/no_softlink"), "bin/c\n");
        List<PathEntry> p = PathsJson.fromLegacy(pkg.resolve("info")).paths();
        assertEquals(List.of(true, false, true), p.stream().map(PathEntry::noLink).toList());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void pathTypeFromTheExtractedFiles() throws IOException {
        Path pkg = pkg("lib/libreal.so.1\nlib/liblink.so\nshare/dir\nlib/missing\n", null, null);
        Files.createDirectories(pkg.resolve("lib"));
        Files.writeString(pkg.resolve("lib/libreal.so.1"), "real");
        Files.createSymbolicLink(pkg.resolve("lib/liblink.so"), Path.of("libreal.so.1"));
        Files.createDirectories(pkg.resolve("share/dir"));
        assertEquals(List.of(PathType.HARDLINK, PathType.SOFTLINK, PathType.DIRECTORY, PathType.HARDLINK),
                PathsJson.fromLegacy(pkg.resolve("info")).paths().stream().map(PathEntry::type).toList());
        // without a package directory nothing is looked at
        assertTrue(PathsJson.fromLegacy(pkg.resolve("info"), null).paths().stream()
                .allMatch(e -> e.type() == PathType.HARDLINK));
        // load() takes the legacy route when there is no paths.json
        assertEquals(PathType.SOFTLINK, PathsJson.load(pkg).find("lib/liblink.so").orElseThrow().type());
    }

    /** The real symlink-test package (no paths.json, no info/files) with an info/files added. */
    @Test
    @DisabledOnOs(OS.WINDOWS)
    void realSymlinkPackageWithAddedFilesList() throws Exception {
        Path pkg = Corpus.extract(Corpus.packages().resolve("symlink-test-1.0.0-0.conda"), tmp);
        assertEquals(PathsJson.empty(), PathsJson.load(pkg));
        Files.writeString(pkg.resolve("info/files"), "lib/libhard.so\nlib/liblink.so\nlib/libreal.so.1\n");
        Files.writeString(pkg.resolve("info/has_prefix"), "lib/libreal.so.1\n");
        PathsJson p = PathsJson.load(pkg);
        assertEquals(List.of(
                PathEntry.file("lib/libhard.so"),
                new PathEntry("lib/liblink.so", PathType.SOFTLINK, null, null, null, null, false),
                new PathEntry("lib/libreal.so.1", PathType.HARDLINK, null, null, DEFAULT, FileMode.TEXT, false)), p.paths());
    }

    @Test
    void realTestPackageHasEmptyFilesAndPathsJson() throws Exception {
        Path pkg = Corpus.extract(Corpus.packages().resolve("test-package-0.1-0.tar.bz2"), tmp);
        assertTrue(Files.exists(pkg.resolve("info/files")));
        assertEquals(PathsJson.empty(), PathsJson.fromLegacy(pkg.resolve("info")));
        assertEquals(PathsJson.empty(), PathsJson.load(pkg));
    }

    @Test
    void errors() throws IOException {
        assertError(pkg("bin/a\n", "/p text\n", null), "info/has_prefix", "line 1: expected \"path\" or \"placeholder mode path\", got 2 fields");
        assertError(pkg("bin/a\n", "\n\n/p octal bin/a\n", null), "info/has_prefix", "line 3: file mode must be \"text\" or \"binary\", got \"octal\"");
        assertError(pkg("bin/a\n", "\"/p text bin/a\n", null), "info/has_prefix", "line 1: no closing quotation");
        assertError(pkg("bin/a\n", "/p text bin/a extra\n", null), "info/has_prefix", "got 4 fields");
        assertError(pkg("bin/a\n../../etc/passwd\n", null, null), "info/files", "unsafe path \"../../etc/passwd\" in line 2");
        assertError(pkg("bin/a\n", "/p text /etc/passwd\n", null), "info/has_prefix", "unsafe path \"/etc/passwd\" in line 1");
        assertError(pkg("bin/a\n", null, "/abs\n"), "info/no_link", "unsafe path");
    }

    @Test
    void missingFilesList() throws IOException {
        Path pkg = tmp.resolve("p");
        Files.createDirectories(pkg.resolve("info"));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> PathsJson.fromLegacy(pkg.resolve("info")));
        assertEquals("info/files", e.entry());
    }

    @Test
    void splitHasPrefixLine() {
        assertEquals(List.of("a"), PathsJson.splitHasPrefixLine("a"));
        assertEquals(List.of("/p", "text", "a b"), PathsJson.splitHasPrefixLine("/p text \"a b\""));
        assertEquals(List.of("x y", "binary", "z"), PathsJson.splitHasPrefixLine("'x y'  binary\tz"));
        assertEquals(List.of("C:\\x\\y", "text", "p"), PathsJson.splitHasPrefixLine("\"C:\\x\\y\" text p"));
    }

    private void assertError(Path pkg, String entry, String text) throws IOException {
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> PathsJson.fromLegacy(pkg.resolve("info")));
        assertEquals(entry, e.entry());
        assertTrue(e.getMessage().startsWith(pkg + ": " + entry + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        // start over for the next case
        deleteTree(pkg);
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
