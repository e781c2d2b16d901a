package dev.envlink.env.prefix;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-memory transcription of conda's semantics for comparison with the streaming code: bytes
 * are mapped one-to-one onto chars (ISO-8859-1) so that java.util.regex behaves as Python's
 * {@code re} on bytes.
 */
final class ReferenceImpl {
    private ReferenceImpl() {
    }

    /** {@code data.replace(placeholder, prefix)}. */
    static byte[] text(byte[] data, byte[] placeholder, byte[] prefix) {
        return TestFiles.latin1(TestFiles.latin1(data).replace(TestFiles.latin1(placeholder), TestFiles.latin1(prefix)));
    }

    /**
     * {@code binary_replace}: {@code re.sub(escape(a) + b"[^\0]*\0", ...)} with
     * {@code group.replace(a, b) + b"\0" * (len(a) - len(b)) * group.count(a)}; null when it would
     * raise _PaddingError.
     */
    static byte[] binary(byte[] data, byte[] placeholder, byte[] prefix) {
        String a = TestFiles.latin1(placeholder);
        String b = TestFiles.latin1(prefix);
        Matcher m = Pattern.compile(Pattern.quote(a) + "[^\\x00]*\\x00", Pattern.DOTALL).matcher(TestFiles.latin1(data));
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String group = m.group();
            int occurrences = count(group, a);
            int padding = (a.length() - b.length()) * occurrences;
            if (padding < 0) {
                return null;
            }
            out.append(TestFiles.latin1(data), last, m.start());
            out.append(group.replace(a, b)).append("\0".repeat(padding));
            last = m.end();
        }
        out.append(TestFiles.latin1(data), last, data.length);
        return TestFiles.latin1(out.toString());
    }

    static int count(String s, String a) {
        int n = 0;
        int i = 0;
        while ((i = s.indexOf(a, i)) >= 0) {
            n++;
            i += a.length();
        }
        return n;
    }
}
