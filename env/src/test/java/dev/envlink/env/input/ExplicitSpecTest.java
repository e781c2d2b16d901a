package dev.envlink.env.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplicitSpecTest {
    private static final String MD5_A = "0123456789abcdef0123456789abcdef";
    private static final String SHA_A = "fe51de6107f9edc7aa4f786a70f4a883943bc9d39b3bb7307c04c41410990726";

    // --- the real specs -------------------------------------------------------------------------

    @Test
    void rosNoeticHasAllUrlsWithoutChecksums() throws Exception {
        InstallInputs in = ExplicitSpec.parse(Conformance.explicitSpec("ros-noetic_linux-64.txt"));
        assertEquals(568, in.packages().size());
        assertEquals(Optional.of("linux-64"), in.platform());
        assertTrue(in.unsupported().isEmpty());

        PackageRef first = in.packages().get(0);
        assertEquals(URI.create("https://conda.anaconda.org/conda-forge/linux-64/_libgcc_mutex-0.1-conda_forge.tar.bz2"),
                first.url());
        assertEquals("_libgcc_mutex-0.1-conda_forge.tar.bz2", first.fileName());
        assertEquals("_libgcc_mutex-0.1-conda_forge", first.distName());
        assertEquals(Optional.of("https://conda.anaconda.org/conda-forge"), first.channel());
        assertEquals(Optional.of("linux-64"), first.subdir());
        assertEquals(Optional.empty(), first.md5());
        assertEquals(Optional.empty(), first.sha256());
        assertEquals("_libgcc_mutex", first.extra().get("name"));
        assertEquals("0.1", first.extra().get("version"));
        assertEquals("conda_forge", first.extra().get("build"));

        PackageRef noarch = in.packages().get(2);
        assertEquals("font-ttf-dejavu-sans-mono-2.37-hab24e00_0.tar.bz2", noarch.fileName());
        assertEquals(Optional.of("noarch"), noarch.subdir());

        // A second channel in the same spec.
        PackageRef robostack = in.packages().stream()
                .filter(p -> p.fileName().equals("ros-distro-mutex-0.3.0-noetic.tar.bz2")).findFirst().orElseThrow();
        assertEquals(Optional.of("https://conda.anaconda.org/robostack"), robostack.channel());
        assertEquals(Optional.of("linux-64"), robostack.subdir());
        assertEquals("ros-distro-mutex", robostack.extra().get("name"));
    }

    @Test
    void vs2015RuntimeKeepsMd5AndCondaFormat() throws Exception {
        InstallInputs in = ExplicitSpec.parse(Conformance.explicitSpec("vs2015_runtime_win-64.txt"));
        assertEquals(Optional.of("win-64"), in.platform());
        assertEquals(2, in.packages().size());
        PackageRef vc = in.packages().get(0);
        assertEquals(URI.create("https://repo.anaconda.com/pkgs/main/win-64/vc-14.1-h0510ff6_4.conda"), vc.url());
        assertEquals("vc-14.1-h0510ff6_4.conda", vc.fileName());
        assertEquals("vc-14.1-h0510ff6_4", vc.distName());
        assertEquals(Optional.of("dc9507a39ab328597820486c729cd279"), vc.md5());
        assertEquals(Optional.empty(), vc.sha256());
        assertEquals(Optional.of("https://repo.anaconda.com/pkgs/main"), vc.channel());
        assertEquals(Optional.of("win-64"), vc.subdir());
        assertEquals(Optional.of("a98ea1e3abfdbbd201d60ff6b43ea7e4"), in.packages().get(1).md5());
    }

    @Test
    void xtensorKeepsOrderAndMd5() throws Exception {
        InstallInputs in = ExplicitSpec.parse(Conformance.explicitSpec("xtensor_linux-64.txt"));
        assertEquals(7, in.packages().size());
        assertEquals(Optional.of("linux-64"), in.platform());
        List<String> names = in.packages().stream().map(PackageRef::distName).toList();
        assertEquals(List.of("_libgcc_mutex-0.1-conda_forge", "libstdcxx-ng-9.3.0-h2ae2ef3_17",
                "libgomp-9.3.0-h5dbcf3e_17", "_openmp_mutex-4.5-1_gnu", "libgcc-ng-9.3.0-h5dbcf3e_17",
                "xtl-0.6.21-h0efe328_0", "xtensor-0.21.8-hc9558a2_0"), names);
        PackageRef xtensor = in.packages().get(6);
        assertEquals(Optional.of("1030174db5c183f3afb4181a0a02873d"), xtensor.md5());
        assertEquals(URI.create("https://conda.anaconda.org/conda-forge/linux-64/xtensor-0.21.8-hc9558a2_0.tar.bz2"),
                xtensor.url(), "the checksum fragment is not part of the URL");
        assertTrue(in.packages().stream().allMatch(p -> p.md5().isPresent()));
    }

    // --- format details -------------------------------------------------------------------------

    @Test
    void missingMarkerIsAnError() {
        InputException e = assertThrows(InputException.class, () -> ExplicitSpec.parse(
                "# platform: linux-64\nhttps://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda\n", "env.txt"));
        assertTrue(e.getMessage().startsWith("env.txt: "), e.getMessage());
        assertTrue(e.getMessage().contains("@EXPLICIT"), e.getMessage());
        assertEquals(OptionalInt.empty(), e.line());
    }

    @Test
    void packageLineBeforeMarkerIsAnErrorWithItsLine() {
        InputException e = assertThrows(InputException.class, () -> ExplicitSpec.parse(
                "# comment\nhttps://x.org/c/linux-64/a-1-0.conda\n@EXPLICIT\n", "env.txt"));
        assertEquals(OptionalInt.of(2), e.line());
        assertTrue(e.getMessage().startsWith("env.txt, line 2: "), e.getMessage());
    }

    @Test
    void commentsBlankLinesAndChecksumForms() throws Exception {
        String text = String.join("\n",
                "# This file may be used to create an environment using:",
                "#platform:osx-arm64",
                "",
                "   @EXPLICIT   ",
                "  ",
                "# a comment between packages",
                "https://conda.anaconda.org/conda-forge/osx-arm64/a-1.0-h0_0.conda#" + MD5_A,
                "https://conda.anaconda.org/conda-forge/osx-arm64/b-2.0-h1_1.conda#sha256:" + SHA_A,
                "https://conda.anaconda.org/conda-forge/noarch/c-3.0-pyh_0.tar.bz2#" + SHA_A.toUpperCase(),
                "  https://conda.anaconda.org/conda-forge/noarch/d-dash-name-4.0-0.tar.bz2  ",
                "");
        InstallInputs in = ExplicitSpec.parse(text, "mac.txt");
        assertEquals(Optional.of("osx-arm64"), in.platform());
        assertEquals(4, in.packages().size());
        PackageRef a = in.packages().get(0);
        assertEquals(Optional.of(MD5_A), a.md5());
        assertEquals(Optional.empty(), a.sha256());
        PackageRef b = in.packages().get(1);
        assertEquals(Optional.of(SHA_A), b.sha256());
        assertEquals(Optional.empty(), b.md5());
        assertEquals(URI.create("https://conda.anaconda.org/conda-forge/osx-arm64/b-2.0-h1_1.conda"), b.url());
        PackageRef c = in.packages().get(2);
        assertEquals(Optional.of(SHA_A), c.sha256(), "bare 64-hex fragment is a sha256, normalised to lower case");
        assertEquals(Optional.of("noarch"), c.subdir());
        PackageRef d = in.packages().get(3);
        assertEquals("d-dash-name", d.extra().get("name"));
        assertEquals("4.0", d.extra().get("version"));
        assertEquals("0", d.extra().get("build"));
    }

    @Test
    void crlfAndBom() throws Exception {
        InstallInputs in = ExplicitSpec.parse("\uFEFF# platform: win-64\r\n@EXPLICIT\r\n"
                + "https://repo.anaconda.com/pkgs/main/win-64/vc-14.1-h0510ff6_4.conda#" + MD5_A + "\r\n", "win.txt");
        assertEquals(Optional.of("win-64"), in.platform());
        assertEquals(Optional.of(MD5_A), in.packages().get(0).md5());
    }

    @Test
    void markerOnlyIsAnEmptyEnvironment() throws Exception {
        InstallInputs in = ExplicitSpec.parse("@EXPLICIT\n", "empty.txt");
        assertTrue(in.packages().isEmpty());
        assertEquals(Optional.empty(), in.platform());
    }

    @Test
    void malformedLinesNameTheirLine() {
        String head = "# platform: linux-64\n@EXPLICIT\nhttps://c.org/ch/linux-64/ok-1-0.conda\n";
        assertLineError(head + "https://c.org/ch/linux-64/a-1-0.conda#abc\n", 4, "checksum");
        assertLineError(head + "https://c.org/ch/linux-64/a-1-0.conda#md5:" + MD5_A + "\n", 4, "checksum");
        assertLineError(head + "https://c.org/ch/linux-64/a-1-0.conda#sha256:" + MD5_A + "\n", 4, "checksum");
        assertLineError(head + "numpy >=1.26\n", 4, "");
        assertLineError(head + "https://c.org/ch/linux-64/not-a-package.whl\n", 4, "conda package");
        assertLineError(head + "https://c.org/ch/linux-64/\n", 4, "conda package");
        assertLineError(head + "https://c.org/a b-1-0.conda\n", 4, "URL");
        assertLineError(head + "#" + MD5_A + "\n", -1, null); // a comment, not an error
    }

    private static void assertLineError(String text, int line, String fragment) {
        if (line < 0) {
            try {
                ExplicitSpec.parse(text, "spec.txt");
            } catch (InputException e) {
                throw new AssertionError("unexpected: " + e.getMessage(), e);
            }
            return;
        }
        InputException e = assertThrows(InputException.class, () -> ExplicitSpec.parse(text, "spec.txt"));
        assertEquals(OptionalInt.of(line), e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("spec.txt, line " + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void urlWithoutSubdirHasNoChannel() throws Exception {
        InstallInputs in = ExplicitSpec.parse("@EXPLICIT\nhttps://example.org/files/tool-1.0-0.conda\n", "x.txt");
        PackageRef p = in.packages().get(0);
        assertEquals("tool-1.0-0.conda", p.fileName());
        assertEquals(Optional.empty(), p.subdir());
        assertEquals(Optional.empty(), p.channel());
    }

    @Test
    void fileUrlsAndPaths(@TempDir Path dir) throws Exception {
        Path channel = dir.resolve("local channel");
        Path pkg = channel.resolve("linux-64").resolve("mine-1.0-h0_0.conda");
        String fileUrl = pkg.toUri().toString();
        Path spec = dir.resolve("spec.txt");
        Files.writeString(spec, "@EXPLICIT\n" + fileUrl + "#" + MD5_A + "\n" + pkg + "\n", StandardCharsets.UTF_8);
        InstallInputs in = ExplicitSpec.parse(spec);
        assertEquals(2, in.packages().size());
        PackageRef viaUrl = in.packages().get(0);
        assertEquals(pkg.toUri(), viaUrl.url());
        assertEquals("mine-1.0-h0_0.conda", viaUrl.fileName());
        assertEquals(Optional.of("linux-64"), viaUrl.subdir());
        assertEquals(Optional.of(CondaNames.stripTrailingSlashes(channel.toUri().toString())), viaUrl.channel());
        assertEquals(Optional.of(MD5_A), viaUrl.md5());
        PackageRef viaPath = in.packages().get(1);
        assertEquals(pkg.toUri(), viaPath.url());
        assertEquals(Optional.of("linux-64"), viaPath.subdir());
    }

    @Test
    void homeDirectoryIsExpanded() throws Exception {
        InstallInputs in = ExplicitSpec.parse("@EXPLICIT\n~/pkgs/linux-64/a-1-0.conda\n", "home.txt");
        Path expected = Path.of(System.getProperty("user.home"), "pkgs", "linux-64", "a-1-0.conda");
        assertEquals(expected.toAbsolutePath().normalize().toUri(), in.packages().get(0).url());
    }

    @Test
    void missingFileNamesTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.txt");
        InputException e = assertThrows(InputException.class, () -> ExplicitSpec.parse(missing));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }
}
