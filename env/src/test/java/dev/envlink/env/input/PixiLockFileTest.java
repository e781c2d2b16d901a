package dev.envlink.env.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PixiLockFileTest {
    private static final String SHA_A = "fe51de6107f9edc7aa4f786a70f4a883943bc9d39b3bb7307c04c41410990726";
    private static final String MD5_A = "d7c89558ba9fa0495403155b64376d81";

    static Stream<Path> supportedLockFiles() throws IOException {
        try (Stream<Path> s = Files.list(Conformance.root().resolve("lockfiles"))) {
            List<Path> files = s.filter(p -> !p.getFileName().toString().startsWith("v5-")).sorted().toList();
            assertEquals(14, files.size(), "the corpus has 13 v6 files and one v7 file: " + files);
            return files.stream();
        }
    }

    static Stream<Path> v5LockFiles() throws IOException {
        try (Stream<Path> s = Files.list(Conformance.root().resolve("lockfiles"))) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("v5-")).sorted().toList();
            assertEquals(4, files.size());
            return files.stream();
        }
    }

    /** Every v6/v7 file reads, and every environment/platform pair in it resolves. */
    @ParameterizedTest
    @MethodSource("supportedLockFiles")
    void everySupportedFileParsesAndResolves(Path file) throws Exception {
        PixiLockFile lock = PixiLockFile.read(file);
        String name = file.getFileName().toString();
        assertEquals(name.startsWith("v6-") ? 6 : 7, lock.version());
        assertFalse(lock.environments().isEmpty());
        for (String env : lock.environments()) {
            for (String platform : lock.platforms(env)) {
                InstallInputs in = lock.select(env, platform);
                assertEquals(Optional.of(platform), in.platform());
                for (PackageRef p : in.packages()) {
                    assertTrue(CondaNames.isArchive(p.fileName()), p.toString());
                    assertTrue(p.url().toString().endsWith("/" + p.fileName()), p.toString());
                    assertTrue(p.subdir().isPresent(), p.toString());
                    assertTrue(p.subdir().get().equals("noarch") || p.subdir().get().equals(platform), p.toString());
                }
                for (UnsupportedEntry u : in.unsupported()) {
                    assertFalse(u.reason().isBlank());
                    assertTrue(u.kind().equals("pypi") || u.kind().equals("conda-source"), u.toString());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("v5LockFiles")
    void v5IsRejectedWithVersionAndFile(Path file) {
        InputException e = assertThrows(InputException.class, () -> PixiLockFile.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("version 5"), e.getMessage());
        assertTrue(e.getMessage().contains("6 and 7"), e.getMessage());
        assertEquals(OptionalInt.of(1), e.line());
    }

    // --- the real pixi v7 lock file -------------------------------------------------------------

    @Test
    void realV7DefaultEnvironment() throws Exception {
        PixiLockFile lock = PixiLockFile.read(Conformance.lockfile("pixi-v7-rattler-repo.lock"));
        assertEquals(7, lock.version());
        assertEquals(List.of("default", "lint", "minio", "s3", "semver-check"), lock.environments());
        assertEquals(List.of("linux-64", "osx-64", "osx-arm64", "win-64"), lock.platforms("default"));

        InstallInputs linux = lock.select("default", "linux-64");
        assertEquals(Optional.of("linux-64"), linux.platform());
        assertEquals(74, linux.packages().size());
        assertTrue(linux.unsupported().isEmpty());

        PackageRef first = linux.packages().get(0);
        assertEquals(URI.create("https://prefix.dev/conda-forge/linux-64/_libgcc_mutex-0.1-conda_forge.tar.bz2"), first.url());
        assertEquals(Optional.of(SHA_A), first.sha256());
        assertEquals(Optional.of(MD5_A), first.md5());
        assertEquals(Optional.of("https://prefix.dev/conda-forge"), first.channel());
        assertEquals(Optional.of("linux-64"), first.subdir());
        assertEquals("_libgcc_mutex", first.extra().get("name"));
        assertEquals("0.1", first.extra().get("version"));
        assertEquals("conda_forge", first.extra().get("build"));
        assertEquals(2562L, first.extra().get("size"));

        // Two _openmp_mutex records exist; the environment names the .tar.bz2 one.
        PackageRef openmp = linux.packages().get(1);
        assertEquals("_openmp_mutex-4.5-2_gnu.tar.bz2", openmp.fileName());
        assertEquals(Optional.of("fbe2c5e56a653bebb982eda4876a9178aedfc2b545f25d0ce9c4c0b508253d22"), openmp.sha256());
        assertEquals(Optional.of("73aaf86a425cc6e73fcf236a5a46396d"), openmp.md5());
        assertEquals(16L, openmp.extra().get("build_number"));
        assertEquals(List.of("_libgcc_mutex 0.1 conda_forge", "libgomp >=7.5.0"), openmp.extra().get("depends"));

        PackageRef ca = byFile(linux, "ca-certificates-2025.10.5-hbd8a1cb_0.conda");
        assertEquals(Optional.of("noarch"), ca.subdir());
        assertEquals(Optional.of("3b5ad78b8bb61b6cdc0978a6a99f8dfb2cc789a451378d054698441005ecbdb6"), ca.sha256());
        assertEquals(Optional.of("f9e5fbc24009179e8b0409624691758a"), ca.md5());

        assertEquals(57, lock.select("default", "osx-64").packages().size());
        assertEquals(61, lock.select("default", "osx-arm64").packages().size());
        InstallInputs win = lock.select("default", "win-64");
        assertEquals(28, win.packages().size());
        PackageRef rust = byFile(win, "rust-1.95.0-hf8d6059_1.conda");
        assertEquals(URI.create("https://prefix.dev/conda-forge/win-64/rust-1.95.0-hf8d6059_1.conda"), rust.url());
        assertEquals(Optional.of("e389c7e72cef404aa0611eebfe3ed71821eb4a1d11e8e02e96558b78ab24268d"), rust.sha256());
        PackageRef winCa = byFile(win, "ca-certificates-2025.10.5-h4c7d964_0.conda");
        assertEquals(Optional.of("bfb7f9f242f441fdcd80f1199edd2ecf09acea0f2bcef6f07d7cbb1a8131a345"), winCa.sha256());

        PackageRef armRust = byFile(lock.select("default", "osx-arm64"), "rust-1.95.0-h4ff7c5d_1.conda");
        assertEquals(Optional.of("dfca85c99b02aa764f345ca74751e91c137b31415965d1ca8784fc6898dd2cbc"), armRust.sha256());
        assertEquals(Optional.of("da183dc2479d6f87d7e856232247bb4d"), armRust.md5());
    }

    @Test
    void realV7SourcePackagesAreListedUnsupported() throws Exception {
        PixiLockFile lock = PixiLockFile.read(Conformance.lockfile("pixi-v7-rattler-repo.lock"));
        InstallInputs minio = lock.select("minio", "linux-64");
        assertEquals(11, minio.packages().size());
        assertEquals(2, minio.unsupported().size());
        UnsupportedEntry rattler = minio.unsupported().get(0);
        assertEquals("conda-source", rattler.kind());
        assertEquals("rattler", rattler.name());
        assertEquals("crates/rattler-bin", rattler.location());
        assertTrue(rattler.reason().contains("source"), rattler.reason());
        assertEquals("rattler_index", minio.unsupported().get(1).name());

        assertEquals(55, lock.select("s3", "linux-64").packages().size());
        assertEquals(92, lock.select("lint", "linux-64").packages().size());
        assertEquals(8, lock.select("semver-check", "win-64").packages().size());
    }

    @Test
    void defaultEnvironmentAndCurrentPlatform() throws Exception {
        PixiLockFile lock = PixiLockFile.read(Conformance.lockfile("pixi-v7-rattler-repo.lock"));
        String here;
        try {
            here = Subdirs.current();
        } catch (IllegalStateException e) {
            return;
        }
        if (lock.platforms("default").contains(here)) {
            assertEquals(lock.select("default", here), lock.select(null, null));
        } else {
            InputException e = assertThrows(InputException.class, () -> lock.select(null, null));
            assertTrue(e.getMessage().contains(here), e.getMessage());
        }
    }

    @Test
    void unknownEnvironmentListsTheAvailableOnes() throws Exception {
        Path file = Conformance.lockfile("pixi-v7-rattler-repo.lock");
        PixiLockFile lock = PixiLockFile.read(file);
        InputException e = assertThrows(InputException.class, () -> lock.select("prod", "linux-64"));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'prod'"), e.getMessage());
        assertTrue(e.getMessage().contains("default, lint, minio, s3, semver-check"), e.getMessage());
        IllegalArgumentException iae = assertThrows(IllegalArgumentException.class, () -> lock.platforms("prod"));
        assertTrue(iae.getMessage().contains("default, lint"), iae.getMessage());
    }

    @Test
    void unknownPlatformListsTheAvailableOnes() throws Exception {
        PixiLockFile lock = PixiLockFile.read(Conformance.lockfile("pixi-v7-rattler-repo.lock"));
        InputException e = assertThrows(InputException.class, () -> lock.select("default", "linux-aarch64"));
        assertTrue(e.getMessage().contains("'linux-aarch64'"), e.getMessage());
        assertTrue(e.getMessage().contains("linux-64, osx-64, osx-arm64, win-64"), e.getMessage());
    }

    // --- rattler's v6 test cases ----------------------------------------------------------------

    @Test
    void numpyAsPypiIsListedUnsupported() throws Exception {
        PixiLockFile lock = PixiLockFile.read(Conformance.lockfile("v6-numpy-as-pypi-lock.yml"));
        assertEquals(6, lock.version());
        assertEquals(List.of("osx-arm64"), lock.platforms("default"));
        InstallInputs in = lock.select("default", "osx-arm64");
        assertEquals(19, in.packages().size());
        assertEquals(1, in.unsupported().size());
        UnsupportedEntry numpy = in.unsupported().get(0);
        assertEquals(new UnsupportedEntry("pypi", "numpy",
                "https://files.pythonhosted.org/packages/8c/40/5792ccccd91d45e87d9e00033abc4f6ca8a828467b193f711139ff1f1cd9/"
                        + "numpy-2.2.1-cp313-cp313-macosx_11_0_arm64.whl",
                "PyPI packages are not supported by envlink; install them with pip/uv"), numpy);
        assertFalse(in.packages().stream().anyMatch(p -> p.fileName().startsWith("numpy")));

        PackageRef libffi = byFile(in, "libffi-3.4.2-h3422bc3_5.tar.bz2");
        assertEquals(Optional.of("41b3d13efb775e340e4dba549ab5c029611ea6918703096b2eaa9c015c0750ca"), libffi.sha256());
        assertEquals(Optional.of("086914b672be056eb70fd4285b6783b6"), libffi.md5());
        assertEquals(Optional.of("osx-arm64"), libffi.subdir());
        assertEquals(Optional.of("https://prefix.dev/conda-forge"), libffi.channel());
        PackageRef tzdata = byFile(in, "tzdata-2024b-hc8b5060_0.conda");
        assertEquals(Optional.of("noarch"), tzdata.subdir());
        assertEquals("2024b", tzdata.extra().get("version"));
        PackageRef python = byFile(in, "python-3.13.0-hbbac1ca_101_cp313.conda");
        assertEquals(101L, python.extra().get("build_number"));
        assertEquals("hbbac1ca_101_cp313", python.extra().get("build"));
    }

    @Test
    void pythonFromCondaOnly() throws Exception {
        InstallInputs in = PixiLockFile.read(Conformance.lockfile("v6-python-from-conda-only-lock.yml"))
                .select("default", "osx-arm64");
        assertEquals(19, in.packages().size());
        assertTrue(in.unsupported().isEmpty());
        assertEquals("bzip2-1.0.8-h99b78c6_7", in.packages().get(0).distName());
        assertEquals(Optional.of("adfa71f158cbd872a36394c56c3568e6034aa55c623634b37a4836bd036e6b91"),
                in.packages().get(0).sha256());
    }

    @Test
    void emptyLockHasNoPackages() throws Exception {
        PixiLockFile lock = PixiLockFile.read(Conformance.lockfile("v6-empty-lock.yml"));
        assertEquals(List.of("default"), lock.environments());
        assertEquals(List.of(), lock.platforms("default"));
        InstallInputs in = lock.select("default", "linux-64");
        assertTrue(in.packages().isEmpty());
        assertTrue(in.unsupported().isEmpty());
        assertEquals(Optional.of("linux-64"), in.platform());
    }

    @Test
    void optionsLockHasEnvironmentsWithoutPackages() throws Exception {
        PixiLockFile lock = PixiLockFile.read(Conformance.lockfile("v6-options-lock.yml"));
        assertEquals(6, lock.environments().size());
        assertTrue(lock.select("with-strategy", "win-64").packages().isEmpty());
    }

    @Test
    void derivedChannelUsesTheRecordedChannel() throws Exception {
        InstallInputs in = PixiLockFile.read(Conformance.lockfile("v6-derived-channel-lock.yml")).select(null, "win-64");
        assertEquals(1, in.packages().size());
        PackageRef python = in.packages().get(0);
        assertEquals(URI.create("https://conda.anaconda.org/conda-forge/win-64/python-3.12.0-h2628c8c_0_cpython.conda"),
                python.url());
        assertEquals(Optional.of("90553586879bf328f2f9efb8d8faa958ecba822faf379f0a20c3461467b9b955"), python.sha256());
        assertEquals(Optional.of("defd5d375853a2caff36a19d2d81a28e"), python.md5());
        assertEquals(Optional.of("https://conda.anaconda.org/conda-forge"), python.channel());
        assertEquals(Optional.of("win-64"), python.subdir());
        assertEquals(16140836L, python.extra().get("size"));
        assertEquals(List.of(new UnsupportedEntry("conda-source", "child-package", "child-package",
                in.unsupported().get(0).reason())), in.unsupported());
    }

    @Test
    void condaPathSelectorsPickTheMatchingRecord() throws Exception {
        PixiLockFile lock = PixiLockFile.read(Conformance.lockfile("v6-conda-path-lock.yml"));
        assertEquals(List.of("default", "second"), lock.environments());
        assertEquals(List.of("linux-64", "win-64"), lock.platforms("default"));
        InstallInputs win = lock.select("default", "win-64");
        assertTrue(win.packages().isEmpty());
        assertEquals(List.of("minimal-project", "a-python-project", "b-python-project"),
                win.unsupported().stream().map(UnsupportedEntry::name).toList());
        assertEquals(List.of("../minimal-project", "../a-python-project", "../a-python-project"),
                win.unsupported().stream().map(UnsupportedEntry::location).toList());
        assertTrue(win.unsupported().stream().allMatch(u -> u.kind().equals("conda-source")));
        assertEquals(1, lock.select("second", "win-64").unsupported().size());
        assertEquals(1, lock.select("default", "linux-64").unsupported().size());
    }

    @Test
    void pixiBuildSourcesExplainWhereTheyComeFrom() throws Exception {
        UnsupportedEntry git = PixiLockFile.read(Conformance.lockfile("v6-pixi-build-git-tag-source-lock.yml"))
                .select("default", "linux-64").unsupported().get(0);
        assertEquals("conda-source", git.kind());
        assertEquals("pixi-tag-package", git.name());
        assertTrue(git.reason().contains("https://github.com/example/pixi-package.git"), git.reason());
        assertTrue(git.reason().contains("v1.2.0"), git.reason());

        UnsupportedEntry url = PixiLockFile.read(Conformance.lockfile("v6-pixi-build-url-source-lock.yml"))
                .select("default", "linux-64").unsupported().get(0);
        assertTrue(url.reason().contains("https://example.com/package.tar.gz"), url.reason());

        InstallInputs variants = PixiLockFile.read(Conformance.lockfile("v6-multiple-source-packages-with-variants-lock.yml"))
                .select("default", "linux-64");
        assertEquals(List.of("my-package-linux", "my-package-win"),
                variants.unsupported().stream().map(UnsupportedEntry::location).toList());
    }

    // --- synthetic files: details of the format -------------------------------------------------

    @Test
    void v7PlatformNamesAndSubdirs(@TempDir Path dir) throws Exception {
        Path file = write(dir, "pixi.lock", """
                version: 7
                platforms:
                - name: linux-64-cuda
                  subdir: linux-64
                  virtual-packages:
                  - __cuda=12.4
                - name: osx-arm64
                environments:
                  default:
                    channels:
                    - url: https://conda.anaconda.org/conda-forge/
                    packages:
                      linux-64-cuda:
                      - conda: https://conda.anaconda.org/conda-forge/linux-64/libfoo-1.10-h0_0.conda
                      - conda: ./dist/mine-0.1-h1_0.conda
                      - pypi: https://files.example.org/x-1.0-py3-none-any.whl
                      osx-arm64:
                      - conda: https://conda.anaconda.org/conda-forge/noarch/tzdata-2024b-h0_0.conda
                packages:
                - conda: https://conda.anaconda.org/conda-forge/linux-64/libfoo-1.10-h0_0.conda
                  version: 1.10
                  sha256: %s
                  md5: %s
                  future_field: {nested: [1, 2]}
                - conda: ./dist/mine-0.1-h1_0.conda
                  sha256: %s
                - conda: https://conda.anaconda.org/conda-forge/noarch/tzdata-2024b-h0_0.conda
                - pypi: https://files.example.org/x-1.0-py3-none-any.whl
                  name: x
                  version: 1.0
                """.formatted(SHA_A.toUpperCase(), MD5_A, SHA_A));
        PixiLockFile lock = PixiLockFile.read(file);
        assertEquals(List.of("linux-64-cuda", "osx-arm64"), lock.platforms("default"));
        InstallInputs byName = lock.select("default", "linux-64-cuda");
        InstallInputs bySubdir = lock.select("default", "linux-64");
        assertEquals(byName, bySubdir);
        assertEquals(Optional.of("linux-64"), byName.platform());
        assertEquals(2, byName.packages().size());
        PackageRef libfoo = byName.packages().get(0);
        assertEquals("1.10", libfoo.extra().get("version"), "an unquoted version stays text");
        assertEquals(Optional.of(SHA_A), libfoo.sha256(), "hashes are normalised to lower case");
        assertEquals(Map.of("nested", List.of(1L, 2L)), libfoo.extra().get("future_field"));
        PackageRef mine = byName.packages().get(1);
        assertEquals(dir.resolve("dist/mine-0.1-h1_0.conda").toUri(), mine.url(), "relative to the lock file");
        assertEquals("mine-0.1-h1_0.conda", mine.fileName());
        assertEquals(Optional.empty(), mine.channel());
        assertEquals(List.of(new UnsupportedEntry("pypi", "x", "https://files.example.org/x-1.0-py3-none-any.whl",
                PixiLockFile.PYPI_REASON)), byName.unsupported());
        assertEquals(1, lock.select("default", "osx-arm64").packages().size());
    }

    @Test
    void v7UndeclaredPlatformIsAnError(@TempDir Path dir) throws Exception {
        Path file = write(dir, "pixi.lock", """
                version: 7
                platforms:
                - name: linux-64
                environments:
                  default:
                    channels: []
                    packages:
                      win-64: []
                packages: []
                """);
        InputException e = assertThrows(InputException.class, () -> PixiLockFile.read(file));
        assertEquals(OptionalInt.of(8), e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("'win-64'"), e.getMessage());
    }

    @Test
    void missingPackageRecordNamesTheLine(@TempDir Path dir) throws Exception {
        Path file = write(dir, "pixi.lock", """
                version: 6
                environments:
                  default:
                    channels: []
                    packages:
                      linux-64:
                        - conda: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda
                        - conda: https://conda.anaconda.org/conda-forge/linux-64/b-1-0.conda
                packages:
                  - conda: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda
                """);
        InputException e = assertThrows(InputException.class, () -> PixiLockFile.read(file));
        assertEquals(OptionalInt.of(8), e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ", line 8: "), e.getMessage());
        assertTrue(e.getMessage().contains("b-1-0.conda"), e.getMessage());
    }

    @Test
    void v6SelectorFieldsNarrowRecordsAtOneLocation(@TempDir Path dir) throws Exception {
        Path file = write(dir, "pixi.lock", """
                version: 6
                environments:
                  default:
                    channels: []
                    packages:
                      linux-64:
                        - conda: https://mirror.example.org/download?id=1
                          build: b
                packages:
                  - conda: https://mirror.example.org/download?id=1
                    file_name: pkg-1.0-a.conda
                    build: a
                    subdir: linux-64
                  - conda: https://mirror.example.org/download?id=1
                    file_name: pkg-1.0-b.conda
                    build: b
                    subdir: linux-64
                    sha256: %s
                """.formatted(SHA_A));
        InstallInputs in = PixiLockFile.read(file).select("default", "linux-64");
        assertEquals(1, in.packages().size());
        PackageRef p = in.packages().get(0);
        assertEquals("pkg-1.0-b.conda", p.fileName(), "file_name names the archive when the URL does not");
        assertEquals(Optional.of(SHA_A), p.sha256());
        assertEquals(Optional.of("linux-64"), p.subdir());
        assertEquals("b", p.extra().get("build"));
    }

    @Test
    void badHashNamesTheLine(@TempDir Path dir) throws Exception {
        Path file = write(dir, "pixi.lock", """
                version: 6
                environments:
                  default:
                    channels: []
                    packages:
                      linux-64:
                        - conda: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda
                packages:
                  - conda: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda
                    sha256: not-a-hash
                """);
        InputException e = assertThrows(InputException.class, () -> PixiLockFile.read(file));
        assertEquals(OptionalInt.of(10), e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void otherVersionsAndNonLockFiles(@TempDir Path dir) throws Exception {
        InputException newer = assertThrows(InputException.class,
                () -> PixiLockFile.read(write(dir, "v8.lock", "version: 8\nenvironments: {}\npackages: []\n")));
        assertTrue(newer.getMessage().contains("version 8"), newer.getMessage());
        assertTrue(newer.getMessage().contains("v8.lock"), newer.getMessage());

        InputException noVersion = assertThrows(InputException.class,
                () -> PixiLockFile.read(write(dir, "nov.lock", "environments: {}\n")));
        assertTrue(noVersion.getMessage().contains("'version'"), noVersion.getMessage());

        InputException notYaml = assertThrows(InputException.class,
                () -> PixiLockFile.read(write(dir, "bad.lock", "version: 6\nenvironments:\n  default: [\n")));
        assertTrue(notYaml.line().isPresent(), notYaml.getMessage());
        assertTrue(notYaml.getMessage().contains("YAML"), notYaml.getMessage());

        InputException empty = assertThrows(InputException.class, () -> PixiLockFile.read(write(dir, "empty.lock", "")));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());

        InputException missing = assertThrows(InputException.class, () -> PixiLockFile.read(dir.resolve("none.lock")));
        assertTrue(missing.getMessage().startsWith(dir.resolve("none.lock").toString()), missing.getMessage());
    }

    @Test
    void duplicateReferencesAreInstalledOnce(@TempDir Path dir) throws Exception {
        Path file = write(dir, "pixi.lock", """
                version: 6
                environments:
                  default:
                    channels: []
                    packages:
                      linux-64:
                        - conda: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda
                        - conda: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda
                packages:
                  - conda: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda
                """);
        assertEquals(1, PixiLockFile.read(file).select("default", "linux-64").packages().size());
    }

    @Test
    void filesOverThreeMebibytesAreRead(@TempDir Path dir) throws Exception {
        // SnakeYAML's default limit is 3 MiB; lock files of large workspaces are bigger.
        String padding = ("# " + "x".repeat(78) + "\n").repeat(40_000); // 3.2 MB of comment lines
        Path file = write(dir, "big.lock", padding + """
                version: 6
                environments:
                  default:
                    channels: []
                    packages:
                      linux-64:
                        - conda: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda
                packages:
                  - conda: https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda
                """);
        assertEquals(1, PixiLockFile.read(file).select("default", "linux-64").packages().size());
    }

    private static PackageRef byFile(InstallInputs in, String fileName) {
        List<String> names = new ArrayList<>();
        for (PackageRef p : in.packages()) {
            if (p.fileName().equals(fileName)) {
                return p;
            }
            names.add(p.fileName());
        }
        throw new AssertionError(fileName + " not among " + names);
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
