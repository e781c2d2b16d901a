package dev.envlink.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.PackageCache;
import dev.envlink.cache.PackageFormatException;
import dev.envlink.testing.conda.CondaPackageBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** noarch: python packages: site-packages relocation, python-scripts, generated entry points. */
class NoarchPythonTest {
    @TempDir
    Path tmp;

    @Test
    void relocatesIntoThePythonOfTheSameInstallAndGeneratesEntryPoints() throws Exception {
        Path channel = Files.createDirectories(tmp.resolve("channel"));
        String realPython = PythonEnvironmentTest.run(List.of("python3", "-c",
                "import os, sys; print(os.path.realpath(sys.executable))")).get(0);
        Path python = CondaPackageBuilder.create("python", "3.11.7", "h0_cpython")
                .symlink("bin/python", realPython)
                .writeConda(channel);
        Path greet = CondaPackageBuilder.create("greet", "1.0", "pyh0_0")
                .file("site-packages/greet/__init__.py", "")
                .file("site-packages/greet/cli.py", "def main():\n    print('hello from greet')\n    return 0\n")
                .file("python-scripts/greet-helper", "#!/bin/sh\necho helper\n".getBytes(StandardCharsets.UTF_8), 0755)
                .noarchPython()
                .linkJson("{\"noarch\": {\"type\": \"python\", \"entry_points\": [\"greet = greet.cli:main\"]},"
                        + " \"package_metadata_version\": 1}")
                .writeTarBz2(channel);
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        CacheEntry py = cache.add(PackageCache.AddRequest.of(python)).entry();
        CacheEntry gr = cache.add(PackageCache.AddRequest.of(greet)).entry();
        Installer installer = new Installer(dev.envlink.link.LinkOptions.defaults(), "test", "envlink test");
        Path prefix = tmp.resolve("env");
        InstallReport r = installer.install(prefix, List.of(new Installer.Request(gr, "greet"),
                new Installer.Request(py, "python")), false);
        assertEquals(1, r.generated());
        Path site = prefix.resolve("lib/python3.11/site-packages");
        assertTrue(Files.isRegularFile(site.resolve("greet/cli.py")));
        assertTrue(Files.isRegularFile(prefix.resolve("bin/greet-helper")));
        Path script = prefix.resolve("bin/greet");
        assertTrue(Files.isExecutable(script));
        assertTrue(Files.readString(script).startsWith("#!" + prefix.resolve("bin/python") + "\n"));

        ProcessBuilder pb = new ProcessBuilder(script.toString()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", site.toString()); // the stand-in python is the machine's own
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("hello from greet", out.strip());

        JsonNode rec = new ObjectMapper().readTree(prefix.resolve("conda-meta/greet-1.0-pyh0_0.json").toFile());
        List<String> files = new java.util.ArrayList<>();
        rec.path("files").forEach(f -> files.add(f.asText()));
        assertTrue(files.containsAll(List.of("lib/python3.11/site-packages/greet/cli.py", "bin/greet-helper", "bin/greet")),
                files.toString());
        assertTrue(new Verifier().verify(prefix).ok(), "entry points verify by their recorded hash");

        // Later installs find python's version in the prefix.
        Path another = CondaPackageBuilder.create("other", "1.0", "pyh0_0")
                .file("site-packages/other.py", "x = 1\n").noarchPython().writeTarBz2(channel);
        installer.install(prefix, List.of(new Installer.Request(
                cache.add(PackageCache.AddRequest.of(another)).entry(), "other")), false);
        assertTrue(Files.isRegularFile(site.resolve("other.py")));
    }

    @Test
    void withoutPythonItIsAClearError() throws Exception {
        Path pkg = CondaPackageBuilder.create("lonely", "1.0", "pyh0_0").file("site-packages/lonely.py", "")
                .noarchPython().writeTarBz2(Files.createDirectories(tmp.resolve("channel")));
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        CacheEntry e = cache.add(PackageCache.AddRequest.of(pkg)).entry();
        Installer installer = new Installer(dev.envlink.link.LinkOptions.defaults(), "test", "envlink test");
        PackageFormatException ex = assertThrows(PackageFormatException.class, () -> installer.install(
                tmp.resolve("env"), List.of(new Installer.Request(e, "lonely")), false));
        assertTrue(ex.getMessage().contains("needs python"), ex.getMessage());
    }

    @Test
    void bytecodePathsAreCPythonsCacheTags() {
        NoarchPython py = new NoarchPython("3.11", false);
        assertEquals("lib/python3.11/site-packages/a/__pycache__/b.cpython-311.pyc",
                py.pycOf("lib/python3.11/site-packages/a/b.py"));
        assertEquals("lib/python3.11/site-packages/a/b.py", py.sourceOfPyc(py.pycOf("lib/python3.11/site-packages/a/b.py")));
        // A dotted file name keeps its dots (importlib.util.cache_from_source does too).
        assertEquals("Lib/site-packages/__pycache__/x.y.cpython-312.pyc",
                new NoarchPython("3.12", true).pycOf("Lib/site-packages/x.y.py"));
        assertEquals("Lib/site-packages/x.y.py", new NoarchPython("3.12", true).sourceOfPyc(
                "Lib/site-packages/__pycache__/x.y.cpython-312.pyc"));
        assertTrue(NoarchPython.compiled("site-packages/a/b.py"));
        assertTrue(!NoarchPython.compiled("python-scripts/tool.py") && !NoarchPython.compiled("site-packages/a/b.pyi"));
        assertEquals(List.of("bin/python3.11", "bin/python3", "bin/python"), py.interpreters());
    }

    /**
     * As conda does: the environment's python compiles the site-packages sources once they are in
     * place; the bytecode is recorded as pyc_file and removed with the package; a source that does
     * not compile is a warning and is left out of the record.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void sourcesAreCompiledByTheEnvironmentsPythonAndRecorded() throws Exception {
        Path channel = Files.createDirectories(tmp.resolve("channel"));
        MachinePython machine = MachinePython.find();
        String xy = machine.xy();
        Path python = machine.pythonPackage(channel);
        Path greet = CondaPackageBuilder.create("greet", "1.0", "pyh0_0")
                .file("site-packages/greet/__init__.py", "")
                .file("site-packages/greet/cli.py", "def main():\n    return 0\n")
                .file("site-packages/greet/broken.py", "def (:\n")
                .file("site-packages/greet/data.txt", "not python\n")
                .file("python-scripts/greet-tool.py", "print('run, not imported')\n")
                .noarchPython().writeTarBz2(channel);
        Installer installer = new Installer(dev.envlink.link.LinkOptions.defaults(), "test", "envlink test");
        Path prefix = tmp.resolve("env");
        InstallReport r = installBoth(installer, prefix, python, greet);

        String site = "lib/python" + xy + "/site-packages/greet/";
        String tag = ".cpython-" + xy.replace(".", "") + ".pyc";
        Path cli = prefix.resolve(site + "__pycache__/cli" + tag);
        assertTrue(Files.isRegularFile(cli), "compiled: " + cli);
        assertTrue(Files.isRegularFile(prefix.resolve(site + "__pycache__/__init__" + tag)));
        assertTrue(!Files.exists(prefix.resolve(site + "__pycache__/broken" + tag)));
        assertTrue(!Files.exists(prefix.resolve("bin/__pycache__")), "python-scripts are not compiled");
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("1 of 3") && w.contains("broken" + tag)),
                r.warnings().toString());
        assertEquals(2, r.compiled());

        JsonNode rec = new ObjectMapper().readTree(prefix.resolve("conda-meta/greet-1.0-pyh0_0.json").toFile());
        List<String> pycs = new java.util.ArrayList<>();
        rec.path("paths_data").path("paths").forEach(e -> {
            if (e.path("path_type").asText().equals("pyc_file")) {
                pycs.add(e.path("_path").asText());
                assertEquals(2, e.size(), "conda writes only _path and path_type: " + e);
            }
        });
        assertEquals(List.of(site + "__pycache__/__init__" + tag, site + "__pycache__/cli" + tag), pycs.stream().sorted().toList());
        List<String> files = new java.util.ArrayList<>();
        rec.path("files").forEach(f -> files.add(f.asText()));
        assertTrue(files.containsAll(pycs) && !files.contains(site + "__pycache__/broken" + tag), files.toString());
        assertEquals("compiled", Fixture.methods(rec).of(site + "__pycache__/cli" + tag));
        assertTrue(new Verifier().verify(prefix).ok(), "bytecode verifies by its presence");

        installer.remove(prefix, List.of("greet"), false);
        assertTrue(!Files.exists(prefix.resolve(site)), "the package's bytecode goes with it, and so do its directories");
    }

    @Test
    void withoutARunnablePythonTheSourcesStayUncompiledWithAWarning() throws Exception {
        Path channel = Files.createDirectories(tmp.resolve("channel"));
        Path python = CondaPackageBuilder.create("python", "3.11.7", "h0_cpython")
                .file("share/python-is-elsewhere.txt", "").writeConda(channel);
        Path pkg = CondaPackageBuilder.create("plain", "1.0", "pyh0_0")
                .file("site-packages/plain.py", "x = 1\n").noarchPython().writeTarBz2(channel);
        Path prefix = tmp.resolve("env");
        InstallReport r = installBoth(new Installer(dev.envlink.link.LinkOptions.defaults(), "test", "envlink test"),
                prefix, python, pkg);
        assertTrue(Files.isRegularFile(prefix.resolve("lib/python3.11/site-packages/plain.py")));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("no python at bin/python3.11")), r.warnings().toString());
        assertEquals(0, r.compiled());
        JsonNode rec = new ObjectMapper().readTree(prefix.resolve("conda-meta/plain-1.0-pyh0_0.json").toFile());
        rec.path("paths_data").path("paths").forEach(e -> assertTrue(!e.path("path_type").asText().equals("pyc_file")));
        assertTrue(new Verifier().verify(prefix).ok());
    }

    /**
     * A Windows environment's layout (planned and placed here, run on Windows): the entry point
     * becomes Scripts/cmd-script.py and a Scripts/cmd.cmd that runs it with python.exe.
     */
    @Test
    void windowsEntryPointsAreAScriptAndACmdLauncher() throws Exception {
        Path channel = Files.createDirectories(tmp.resolve("channel"));
        Path python = CondaPackageBuilder.create("python", "3.12.1", "h0_cpython")
                .file("python.exe", new byte[] {'M', 'Z', 0, 0, 0, 0}, 0755).writeConda(channel);
        Path greet = CondaPackageBuilder.create("greet", "1.0", "pyh0_0")
                .file("site-packages/greet/cli.py", "def main():\n    return 0\n")
                .noarchPython()
                .linkJson("{\"noarch\": {\"type\": \"python\", \"entry_points\": [\"greet = greet.cli:main\"]},"
                        + " \"package_metadata_version\": 1}")
                .writeTarBz2(channel);
        Installer installer = new Installer(dev.envlink.link.LinkOptions.defaults(), "test", "envlink test", true);
        Path prefix = tmp.resolve("env");
        InstallReport r = installBoth(installer, prefix, python, greet);
        assertEquals(2, r.generated());
        assertTrue(Files.isRegularFile(prefix.resolve("Lib/site-packages/greet/cli.py")));
        String script = Files.readString(prefix.resolve("Scripts/greet-script.py"));
        assertTrue(script.contains("from greet.cli import main") && script.contains("sys.exit(main())"), script);
        String cmd = Files.readString(prefix.resolve("Scripts/greet.cmd"));
        assertEquals("@echo off\r\n"
                + "rem Generated by envlink from info/link.json: greet = greet.cli:main\r\n"
                + "\"%~dp0..\\python.exe\" \"%~dp0greet-script.py\" %*\r\n"
                + "exit /b %ERRORLEVEL%\r\n", cmd);
        assertTrue(!Files.exists(prefix.resolve("Scripts/greet")), "no extension-less Unix script");
        // python.exe cannot run here: the bytecode is left out with a warning, nothing fails.
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("Lib/site-packages/greet/__pycache__/cli.cpython-312.pyc")
                && w.contains("python.exe is not a program for")), r.warnings().toString());

        JsonNode rec = new ObjectMapper().readTree(prefix.resolve("conda-meta/greet-1.0-pyh0_0.json").toFile());
        java.util.Map<String, String> types = new java.util.TreeMap<>();
        rec.path("paths_data").path("paths").forEach(e -> types.put(e.path("_path").asText(), e.path("path_type").asText()));
        assertEquals("windows_python_entry_point_script", types.get("Scripts/greet-script.py"));
        assertEquals("windows_python_entry_point_script", types.get("Scripts/greet.cmd"));
        assertEquals("hardlink", types.get("Lib/site-packages/greet/cli.py"));
        assertTrue(new Verifier().verify(prefix).ok());
        installer.remove(prefix, List.of("greet"), false);
        assertTrue(!Files.exists(prefix.resolve("Scripts/greet.cmd")) && !Files.exists(prefix.resolve("Scripts/greet-script.py")));
    }

    /** This machine's python3: its executable and its X.Y. */
    private record MachinePython(String executable, String xy) {
        static MachinePython find() throws Exception {
            List<String> out = PythonEnvironmentTest.run(List.of("python3", "-c",
                    "import os, sys; print(os.path.realpath(sys.executable)); print('%d.%d' % sys.version_info[:2])"));
            return new MachinePython(out.get(0), out.get(1));
        }

        /** A python package of this X.Y whose bin/python is this machine's python3. */
        Path pythonPackage(Path channel) throws Exception {
            return CondaPackageBuilder.create("python", xy + ".0", "h0_cpython")
                    .symlink("bin/python", executable).writeConda(channel);
        }
    }

    /** Adds a python package and a noarch one to a fresh cache and installs both in one transaction. */
    private InstallReport installBoth(Installer installer, Path prefix, Path python, Path pkg) throws Exception {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        return installer.install(prefix, List.of(
                new Installer.Request(cache.add(PackageCache.AddRequest.of(python)).entry(), "python"),
                new Installer.Request(cache.add(PackageCache.AddRequest.of(pkg)).entry(), "pkg")), false);
    }

    /** Which first bytes make a program of which system (pure: runs everywhere). */
    @Test
    void programsAreRecognisedByTheirFirstBytes() {
        byte[] elf = {0x7f, 'E', 'L', 'F'};
        byte[] macho64 = {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe};
        byte[] universal = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe};
        byte[] pe = {'M', 'Z', (byte) 0x90, 0};
        byte[] script = "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(PycCompiler.runnableHere(elf, "Linux") && !PycCompiler.runnableHere(elf, "Mac OS X")
                && !PycCompiler.runnableHere(elf, "Windows 11"));
        assertTrue(PycCompiler.runnableHere(macho64, "Mac OS X") && PycCompiler.runnableHere(universal, "Mac OS X")
                && !PycCompiler.runnableHere(macho64, "Linux"));
        assertTrue(PycCompiler.runnableHere(pe, "Windows 11") && !PycCompiler.runnableHere(pe, "Linux"));
        assertTrue(PycCompiler.runnableHere(script, "Linux") && PycCompiler.runnableHere(script, "FreeBSD"));
        assertTrue(!PycCompiler.runnableHere("cpython\n".getBytes(StandardCharsets.US_ASCII), "Linux"),
                "a package's stand-in text is not run through the shell");
        assertTrue(!PycCompiler.runnableHere(new byte[] {0x7f}, "Linux"), "too short");
    }

    /**
     * The conformance corpus' noarch: python clobber pair (both write site-packages/clobber/clobber.py):
     * the later package wins the source and its bytecode; removing it puts the earlier one's
     * back and compiles it again.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void conformanceNoarchClobberPairWithBytecode() throws Exception {
        MachinePython machine = MachinePython.find();
        String xy = machine.xy();
        Path python = machine.pythonPackage(Files.createDirectories(tmp.resolve("channel")));
        Path corpus = Fixture.corpus();
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        Installer installer = new Installer(dev.envlink.link.LinkOptions.defaults(), "test", "envlink test");
        Path prefix = tmp.resolve("env");
        InstallReport r = installer.install(prefix, List.of(
                new Installer.Request(cache.add(PackageCache.AddRequest.of(python)).entry(), "python"),
                new Installer.Request(cache.add(PackageCache.AddRequest.of(
                        corpus.resolve("clobber-pynoarch-1-0.1.0-pyh4616a5c_0.tar.bz2"))).entry(), "clobber-pynoarch-1"),
                new Installer.Request(cache.add(PackageCache.AddRequest.of(
                        corpus.resolve("clobber-pynoarch-2-0.1.0-pyh4616a5c_0.tar.bz2"))).entry(), "clobber-pynoarch-2")),
                false);
        String source = "lib/python" + xy + "/site-packages/clobber/clobber.py";
        String pyc = "lib/python" + xy + "/site-packages/clobber/__pycache__/clobber.cpython-" + xy.replace(".", "") + ".pyc";
        assertEquals(1, r.compiled(), r.warnings().toString());
        assertTrue(Files.isRegularFile(prefix.resolve(pyc)));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("clobber: " + source)), r.warnings().toString());
        JsonNode two = new ObjectMapper().readTree(prefix.resolve("conda-meta/clobber-pynoarch-2-0.1.0-pyh4616a5c_0.json").toFile());
        assertEquals("compiled", Fixture.methods(two).of(pyc));
        JsonNode one = new ObjectMapper().readTree(prefix.resolve("conda-meta/clobber-pynoarch-1-0.1.0-pyh4616a5c_0.json").toFile());
        assertEquals("clobbered", Fixture.methods(one).of(pyc), one.path("envlink").toString());

        Files.delete(prefix.resolve(pyc)); // the restore must compile it again, not find it
        installer.remove(prefix, List.of("clobber-pynoarch-2"), false);
        assertTrue(Files.isRegularFile(prefix.resolve(source)), "pynoarch-1's source is back");
        assertTrue(Files.isRegularFile(prefix.resolve(pyc)), "and compiled again");
        assertTrue(new Verifier().verify(prefix).ok());
    }

    /** An interpreter that never finishes (and holds its output open) is stopped at the time limit. */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void aHungInterpreterIsStoppedAtTheTimeLimit() throws Exception {
        Path prefix = Files.createDirectories(tmp.resolve("env"));
        Path python = Files.createDirectories(prefix.resolve("bin")).resolve("python3.11");
        Files.writeString(python, "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(python, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        long start = System.nanoTime();
        PycCompiler.Outcome o = PycCompiler.compile(prefix, new NoarchPython("3.11", false),
                List.of("lib/python3.11/site-packages/__pycache__/a.cpython-311.pyc"), java.time.Duration.ofSeconds(1));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(seconds < 30, "returned after " + seconds + " s");
        assertEquals(java.util.Set.of(), o.compiled());
        assertTrue(o.warning().orElseThrow().contains("did not finish in 1 s"), o.warning().toString());
    }
}
