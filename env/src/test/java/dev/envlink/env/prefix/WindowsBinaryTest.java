package dev.envlink.env.prefix;

import static dev.envlink.env.prefix.TestFiles.latin1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowsBinaryTest {
    static final String PH = "D:\\bld\\pkg_1700\\_h_env_placehold_placehold_placehold";
    static final String NEW = "C:\\Users\\me\\a much longer environment prefix than the placeholder\\envs\\demo";

    @TempDir
    Path dir;

    private static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("__main__.py"));
            z.write("import sys\nfrom pip import main\nsys.exit(main())\n".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void pyzzerEntryPointShebangIsReplaced() throws IOException {
        byte[] launcher = latin1("MZ\u0090\0launcher code #!not-this-one " + PH + "\0\0\0");
        byte[] shebang = latin1("#!" + PH + "\\python.exe\r\n");
        byte[] archive = zip();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(launcher);
        file.write(shebang);
        file.write(archive);
        Path src = dir.resolve("pip.exe");
        Files.write(src, file.toByteArray());
        for (int buffer : new int[] {3, 64, 1 << 17}) {
            Path dst = dir.resolve("out-" + buffer + ".exe");
            RewriteResult r = new PrefixRewriter("windows", buffer).rewrite(src, dst, PH, NEW, Mode.BINARY);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(launcher); // the launcher is not touched
            expected.write(latin1("#!" + NEW + "\\python.exe\r\n")); // backslashes kept in binary mode
            expected.write(archive);
            assertArrayEquals(expected.toByteArray(), Files.readAllBytes(dst), "buffer " + buffer);
            assertEquals(1, r.replacements());
            assertEquals(TestFiles.sha256(dst), r.sha256());
        }
    }

    @Test
    void otherWindowsBinariesAreCopiedUnchanged() throws IOException {
        byte[] data = latin1("MZ\0\0" + PH + "\\Library\\bin\0\0PK\u0005\u0006 short");
        Path src = dir.resolve("lib.dll");
        Files.write(src, data);
        Path dst = dir.resolve("out.dll");
        RewriteResult r = new PrefixRewriter("windows", 8).rewrite(src, dst, PH, NEW, Mode.BINARY);
        assertArrayEquals(data, Files.readAllBytes(dst));
        assertEquals(0, r.replacements());
        assertEquals(TestFiles.sha256(src), r.sha256());
    }

    @Test
    void zipWithoutLauncherIsUnchanged() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(latin1("#!" + PH + "\\python.exe\n"));
        file.write(zip());
        byte[] data = file.toByteArray();
        Path src = dir.resolve("a.exe");
        Files.write(src, data);
        Path dst = dir.resolve("b.exe");
        new PrefixRewriter("windows").rewrite(src, dst, PH, NEW, Mode.BINARY);
        assertArrayEquals(data, Files.readAllBytes(dst), "conda needs a non-empty launcher before the shebang");
    }

    @Test
    void lastIndexOfAcrossChunks() throws IOException {
        byte[] data = latin1("xxPK\u0005\u0006yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyPK\u0005\u0006zz");
        Path f = dir.resolve("f");
        Files.write(f, data);
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            byte[] needle = {'P', 'K', 5, 6};
            for (int chunk : new int[] {4, 5, 7, 64, 1000}) {
                byte[] scratch = new byte[chunk];
                assertEquals(data.length - 6, PyzzerEntryPoint.lastIndexOf(ch, 0, data.length, needle, scratch));
                assertEquals(2, PyzzerEntryPoint.lastIndexOf(ch, 0, data.length - 3, needle, scratch));
                assertEquals(-1, PyzzerEntryPoint.lastIndexOf(ch, 3, data.length - 3, needle, scratch));
            }
        }
    }
}
