package dev.envlink.env.prefix;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * conda's shebang handling for text-mode files on Linux and macOS targets
 * ({@code replace_prefix} step for the first line, then {@code replace_long_shebang}):
 *
 * <ol>
 *   <li>{@code #!<placeholder>} becomes {@code #!<new prefix>} with each space escaped as
 *       {@code "\ "} (so the interpreter path stays one token);</li>
 *   <li>the remaining placeholder occurrences in the line are replaced plainly;</li>
 *   <li>the line is parsed as conda's {@code SHEBANG_REGEX} does: {@code #!}, optional spaces, the
 *       interpreter (starts with {@code /}, runs to the first unescaped space, tab or CR; {@code "\ "}
 *       is part of it), then the options (the rest of the line, a trailing CR included);</li>
 *   <li>if the whole line (without the LF) is longer than the limit, or the interpreter's directory
 *       contains an escaped space, the line becomes {@code #!/usr/bin/env <interpreter basename>
 *       <options>}.</li>
 * </ol>
 */
final class Shebang {
    /** Linux: the kernel reads 128 bytes of the {@code #!} line ({@code BINPRM_BUF_SIZE}); conda's 127. */
    static final int MAX_LINUX = 127;
    /** macOS: 512, as conda and rattler. */
    static final int MAX_MACOS = 512;

    private static final byte[] ENV = "#!/usr/bin/env ".getBytes(StandardCharsets.US_ASCII);

    private Shebang() {
    }

    record Result(byte[] line, int replacements, boolean rewritten) {
    }

    /** {@code line} is the first line without its LF and starts with {@code #!}. */
    static Result process(byte[] line, BytePattern placeholder, byte[] newPrefix, int maxLength) {
        // Step 1: the interpreter right after "#!" gets the prefix with escaped spaces.
        byte[] hashBang = {'#', '!'};
        BytePattern shebangPlaceholder = new BytePattern(concat(hashBang, placeholder.bytes()));
        BytePattern.Replaced step1 = shebangPlaceholder.replaceAll(line, concat(hashBang, escapeSpaces(newPrefix)));
        // Step 2: every other occurrence.
        BytePattern.Replaced step2 = placeholder.replaceAll(step1.bytes(), newPrefix);
        byte[] replaced = step2.bytes();
        int count = step1.count() + step2.count();

        // Step 3: parse like SHEBANG_REGEX.
        int i = 2;
        while (i < replaced.length && replaced[i] == ' ') {
            i++;
        }
        if (i >= replaced.length || replaced[i] != '/') {
            return new Result(replaced, count, false);
        }
        int exeStart = i;
        int j = i;
        while (j < replaced.length) {
            byte b = replaced[j];
            if (b == '\\' && j + 1 < replaced.length && replaced[j + 1] == ' ') {
                j += 2;
            } else if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                break;
            } else {
                j++;
            }
        }
        int exeEnd = j;
        int lastSlash = exeStart;
        for (int k = exeStart; k < exeEnd; k++) {
            if (replaced[k] == '/') {
                lastSlash = k;
            }
        }
        boolean escapedSpaceInDir = false;
        for (int k = exeStart; k + 1 < lastSlash; k++) {
            if (replaced[k] == '\\' && replaced[k + 1] == ' ') {
                escapedSpaceInDir = true;
                break;
            }
        }
        // Step 4.
        if (replaced.length <= maxLength && !escapedSpaceInDir) {
            return new Result(replaced, count, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(ENV.length + replaced.length - lastSlash);
        out.write(ENV, 0, ENV.length);
        out.write(replaced, lastSlash + 1, exeEnd - lastSlash - 1);
        out.write(replaced, exeEnd, replaced.length - exeEnd);
        return new Result(out.toByteArray(), count, true);
    }

    private static byte[] escapeSpaces(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length + 8);
        for (byte b : s) {
            if (b == ' ') {
                out.write('\\');
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
