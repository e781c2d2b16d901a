package dev.envlink.env.prefix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A real executable built with gcc, its compiled-in paths relocated in binary mode, then run. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ElfRelocationTest {
    @TempDir
    Path dir;

    record Run(int exit, String out) {
    }

    private static Run run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "process finished");
        return new Run(p.exitValue(), out);
    }

    private static boolean gccAvailable() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void relocatedExecutablePrintsTheNewPrefix() throws Exception {
        assumeTrue(gccAvailable(), "gcc is not installed");
        String placeholder = TestFiles.condaBuildPlaceholder();
        assertEquals(255, placeholder.length());
        Path c = dir.resolve("demo.c");
        Files.writeString(c, String.join("\n",
                "#include <stdio.h>",
                "static const char data_dir[] = PREFIX \"/share/demo\";",
                "static const char *lib_path = PREFIX \"/lib:\" PREFIX \"/lib64\";",
                "int main(void) {",
                "    puts(data_dir);",
                "    puts(lib_path);",
                "    return 0;",
                "}",
                ""));
        Path built = dir.resolve("demo");
        Run cc = run(dir, List.of("gcc", "-O0", "-o", built.toString(), "-DPREFIX=\"" + placeholder + "\"", c.toString()));
        assertEquals(0, cc.exit(), cc.out());
        Run original = run(dir, List.of(built.toString()));
        assertEquals(placeholder + "/share/demo\n" + placeholder + "/lib:" + placeholder + "/lib64\n", original.out());

        Path env = Files.createDirectories(dir.resolve("envs/demo"));
        String newPrefix = env.toString();
        Path target = Files.createDirectories(env.resolve("bin")).resolve("demo");
        String before = TestFiles.sha256(built);
        RewriteResult r = new PrefixRewriter("linux").rewrite(built, target, placeholder, newPrefix, Mode.BINARY);

        assertEquals(before, TestFiles.sha256(built), "the cached file is unchanged");
        assertEquals(Files.size(built), Files.size(target), "binary keeps its size");
        assertEquals(Files.size(target), r.bytesWritten());
        assertEquals(TestFiles.sha256(target), r.sha256());
        assertTrue(r.replacements() >= 3, "replacements: " + r.replacements());
        assertTrue(Files.isExecutable(target), "exec bit copied");

        Run relocated = run(dir, List.of(target.toString()));
        assertEquals(0, relocated.exit(), relocated.out());
        assertEquals(newPrefix + "/share/demo\n" + newPrefix + "/lib:" + newPrefix + "/lib64\n", relocated.out());
    }
}
