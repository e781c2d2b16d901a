package dev.envlink.env.prefix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShebangTest {
    static final String PH = "/opt/anaconda1anaconda2anaconda3";
    static final String SHORT = "/home/u/envs/demo";
    /** 130 bytes: "#!" + prefix + "/bin/python3.11" is well over 127. */
    static final String LONG = "/home/u/" + "very-long-directory-name/".repeat(5);

    @TempDir
    Path dir;

    private int n;

    private String rewrite(String os, String content, String newPrefix, boolean expectRewritten) throws IOException {
        Path src = dir.resolve("s" + n);
        Path dst = dir.resolve("d" + n++);
        Files.writeString(src, content);
        for (int buffer : new int[] {4, 1 << 17}) {
            Path d = dst.resolveSibling(dst.getFileName() + "-" + buffer);
            RewriteResult r = new PrefixRewriter(os, buffer).rewrite(src, d, PH, newPrefix, Mode.TEXT);
            assertEquals(expectRewritten, r.shebangRewritten(), "shebangRewritten");
            assertEquals(TestFiles.sha256(d), r.sha256());
            assertEquals(Files.size(d), r.bytesWritten());
            Files.copy(d, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.readString(dst);
    }

    @Test
    void shortShebangStays() throws IOException {
        String out = rewrite("linux", "#!" + PH + "/bin/python3.11 -u\nimport sys  # " + PH + "\n", SHORT, false);
        assertEquals("#!" + SHORT + "/bin/python3.11 -u\nimport sys  # " + SHORT + "\n", out);
    }

    @Test
    void longShebangBecomesEnvFormWithArgumentsKept() throws IOException {
        assertTrue(("#!" + LONG + "/bin/python3.11").length() > 127);
        String out = rewrite("linux", "#!" + PH + "/bin/python3.11 -E -s\nprint('" + PH + "')\n", LONG, true);
        assertEquals("#!/usr/bin/env python3.11 -E -s\nprint('" + LONG + "')\n", out);
    }

    @Test
    void exactly127BytesStaysAnd128IsRewritten() throws IOException {
        String exe = "/bin/python";
        // "#!" + prefix + exe = 127
        String p127 = "/" + "p".repeat(127 - 2 - exe.length() - 1);
        assertEquals(127, ("#!" + p127 + exe).length());
        assertEquals("#!" + p127 + exe + "\n", rewrite("linux", "#!" + PH + exe + "\n", p127, false));
        String p128 = p127 + "q";
        assertEquals("#!/usr/bin/env python\n", rewrite("linux", "#!" + PH + exe + "\n", p128, true));
    }

    @Test
    void spacesInPrefixGiveEnvFormAndTheRestKeepsTheSpaces() throws IOException {
        String spaced = "/tmp/my env";
        String out = rewrite("linux", "#!" + PH + "/bin/python3.11 -u\nLIB='" + PH + "/lib'\n", spaced, true);
        assertEquals("#!/usr/bin/env python3.11 -u\nLIB='" + spaced + "/lib'\n", out);
    }

    @Test
    void spacesMatterOnMacOsToo() throws IOException {
        String out = rewrite("macos", "#!" + PH + "/bin/perl\n", "/Users/me/my envs/x", true);
        assertEquals("#!/usr/bin/env perl\n", out);
    }

    @Test
    void macOsLimitIs512() throws IOException {
        String content = "#!" + PH + "/bin/python3\n";
        assertEquals("#!" + LONG + "/bin/python3\n", rewrite("macos", content, LONG, false));
        String veryLong = "/" + "d".repeat(520);
        assertEquals("#!/usr/bin/env python3\n", rewrite("macos", content, veryLong, true));
    }

    @Test
    void notAShebangIsUntouched() throws IOException {
        String content = "# comment " + PH + "/bin/python\n#!" + PH + "/bin/python\n";
        String out = rewrite("linux", content, LONG, false);
        assertEquals(content.replace(PH, LONG), out);
    }

    @Test
    void crlfLineEndingIsKept() throws IOException {
        String out = rewrite("linux", "#!" + PH + "/bin/perl -w\r\nprint \"" + PH + "\";\r\n", LONG, true);
        assertEquals("#!/usr/bin/env perl -w\r\nprint \"" + LONG + "\";\r\n", out);
        String shortOut = rewrite("linux", "#!" + PH + "/bin/perl\r\nx\r\n", SHORT, false);
        assertEquals("#!" + SHORT + "/bin/perl\r\nx\r\n", shortOut);
    }

    @Test
    void shebangWithoutNewlineAtEndOfFile() throws IOException {
        assertEquals("#!/usr/bin/env bash", rewrite("linux", "#!" + PH + "/bin/bash", LONG, true));
        assertEquals("#!" + SHORT + "/bin/bash", rewrite("linux", "#!" + PH + "/bin/bash", SHORT, false));
    }

    @Test
    void spaceAfterHashBangAndLongExistingShebang() throws IOException {
        // conda's regex allows spaces between "#!" and the interpreter
        String out = rewrite("linux", "#! " + PH + "/bin/python -x\n", LONG, true);
        assertEquals("#!/usr/bin/env python -x\n", out);
        // a system interpreter is left alone when short
        String env = "#!/usr/bin/env python\n" + PH + "\n";
        assertEquals("#!/usr/bin/env python\n" + LONG + "\n", rewrite("linux", env, LONG, false));
    }

    @Test
    void placeholderOnlyInOptionsOfALongLine() throws IOException {
        String out = rewrite("linux", "#!/bin/sh -c " + PH + "/x\necho\n", LONG, true);
        assertEquals("#!/usr/bin/env sh -c " + LONG + "/x\necho\n", out);
    }

    @Test
    void windowsTargetsLeaveShebangsAloneAndUseForwardSlashes() throws IOException {
        String content = "#!" + PH + "/python.exe\nset P=" + PH + "\\Library\n";
        String winPrefix = "C:\\Users\\me\\" + "envs\\".repeat(30) + "demo";
        String out = rewrite("windows", content, winPrefix, false);
        String fwd = winPrefix.replace('\\', '/');
        assertEquals("#!" + fwd + "/python.exe\nset P=" + fwd + "\\Library\n", out);
    }

    @Test
    void veryLongFirstLineIsNotTreatedAsShebang() throws IOException {
        String content = "#!" + PH + "/bin/x " + "a".repeat(PrefixRewriter.MAX_FIRST_LINE + 10) + "\n" + PH;
        String out = rewrite("linux", content, SHORT, false);
        assertEquals(content.replace(PH, SHORT), out);
    }

    @Test
    void shebangUnitCases() {
        BytePattern ph = new BytePattern(TestFiles.utf8(PH));
        Shebang.Result r = Shebang.process(TestFiles.utf8("#!" + PH + "/bin/exe\\ cutable -o x"), ph,
                TestFiles.utf8("/a b"), 127);
        // escaped space in the directory (from the prefix) triggers; the basename keeps its escape
        assertEquals("#!/usr/bin/env exe\\ cutable -o x", new String(r.line()));
        assertTrue(r.rewritten());
        assertEquals(1, r.replacements());
        Shebang.Result plain = Shebang.process(TestFiles.utf8("#!python"), ph, TestFiles.utf8("/x"), 1);
        assertFalse(plain.rewritten(), "interpreter must start with /");
    }
}
