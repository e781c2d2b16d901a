package dev.envlink.env.prefix;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Streaming binary-mode replacement with conda's {@code binary_replace} semantics.
 *
 * <p>conda matches {@code placeholder [^\0]* \0}: from an occurrence of the placeholder to the
 * next NUL. In that stretch every occurrence of the placeholder is replaced by the new prefix and
 * {@code (placeholder.length - prefix.length) * occurrences} NULs are added after it, so the length
 * does not change and the C string stays terminated. Scanning goes on after that NUL. An
 * occurrence with no NUL after it before the end of the file is not a match and is left alone.
 *
 * <p>Rather than holding a whole C string in memory, the replaced bytes are written as they are
 * read and only the occurrence count is kept; the padding goes out when the NUL arrives. So a C
 * string may be any length and memory stays bounded. If the file ends inside such a stretch, the
 * target is cut back to where the stretch began and the rest of the source is copied unchanged
 * (this is also when a too-long prefix is not an error: conda has no match there either).
 */
final class CStringReplacer {
    private CStringReplacer() {
    }

    interface TooLong {
        PrefixTooLongException create();
    }

    /** Returns the number of replacements. {@code in} reads from {@code source}. */
    static int run(SourceReader in, FileChannel source, TargetSink out, BytePattern pattern, byte[] replacement,
            int bufferSize, TooLong tooLong) throws IOException {
        int m = pattern.length();
        int r = replacement.length;
        byte[] buf = new byte[bufferSize + m];
        int len = 0;
        long bufOffset = in.offset(); // source offset of buf[0]
        int total = 0;

        boolean inString = false;
        long stringSourceStart = 0;
        long stringTargetStart = 0;
        int stringCount = 0;

        boolean eof = false;
        while (!eof) {
            int n = in.readFully(buf, len, buf.length - len);
            len += n;
            eof = len < buf.length;
            int pos = 0;
            while (true) {
                if (!inString) {
                    int i = pattern.indexIn(buf, pos, len);
                    if (i < 0) {
                        int keep = eof ? len : Math.max(pos, len - (m - 1));
                        out.write(buf, pos, keep - pos);
                        pos = keep;
                        break;
                    }
                    out.write(buf, pos, i - pos);
                    pos = i;
                    inString = true;
                    stringSourceStart = bufOffset + i;
                    stringTargetStart = out.position();
                    stringCount = 0;
                    // the occurrence at i is handled below
                }
                int nul = BytePattern.indexOf(buf, pos, len, (byte) 0);
                int end = nul >= 0 ? nul : len;
                int i = pattern.indexIn(buf, pos, end);
                if (i >= 0) {
                    out.write(buf, pos, i - pos);
                    out.write(replacement);
                    pos = i + m;
                    stringCount++;
                    continue;
                }
                if (nul >= 0) {
                    out.write(buf, pos, nul - pos);
                    if (r > m) {
                        throw tooLong.create();
                    }
                    out.writeZeros((long) (m - r) * stringCount + 1); // padding, then the NUL itself
                    pos = nul + 1;
                    total += stringCount;
                    inString = false;
                    continue;
                }
                // No NUL yet: everything but a possible partial occurrence at the end can go out
                // (the placeholder contains no NUL).
                int keep = eof ? len : Math.max(pos, len - (m - 1));
                out.write(buf, pos, keep - pos);
                pos = keep;
                break;
            }
            System.arraycopy(buf, pos, buf, 0, len - pos);
            bufOffset += pos;
            len -= pos;
        }
        if (inString) {
            // The file ended before the C string did: conda leaves this stretch as it is.
            out.truncateTo(stringTargetStart, buf);
            out.copyFrom(source, stringSourceStart, -1, buf);
        }
        return total;
    }
}
