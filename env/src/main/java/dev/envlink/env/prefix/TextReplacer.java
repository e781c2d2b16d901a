package dev.envlink.env.prefix;

import java.io.IOException;

/**
 * Streaming text-mode replacement: every non-overlapping occurrence of the placeholder (leftmost
 * first) becomes the new prefix, as Python's {@code bytes.replace} in conda's
 * {@code replace_prefix}. The window keeps the last {@code placeholder.length - 1} bytes of each
 * buffer so that an occurrence split by a buffer boundary is still found.
 */
final class TextReplacer {
    private TextReplacer() {
    }

    /** Copies {@code in} to {@code out} with the replacement; returns the number of replacements. */
    static int run(SourceReader in, TargetSink out, BytePattern pattern, byte[] replacement, int bufferSize)
            throws IOException {
        int m = pattern.length();
        byte[] buf = new byte[bufferSize + m];
        int len = 0;
        int count = 0;
        boolean eof = false;
        while (!eof) {
            int n = in.readFully(buf, len, buf.length - len);
            len += n;
            eof = len < buf.length;
            int pos = 0;
            int i;
            while ((i = pattern.indexIn(buf, pos, len)) >= 0) {
                out.write(buf, pos, i - pos);
                out.write(replacement);
                pos = i + m;
                count++;
            }
            // Bytes before the last m-1 cannot start an occurrence any more.
            int keep = eof ? len : Math.max(pos, len - (m - 1));
            out.write(buf, pos, keep - pos);
            System.arraycopy(buf, keep, buf, 0, len - keep);
            len -= keep;
        }
        return count;
    }
}
