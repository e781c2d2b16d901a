package dev.envlink.env.prefix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

final class TestFiles {
    private TestFiles() {
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha = sha();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha().digest(data));
    }

    static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A conda-build style placeholder: a build prefix padded with "_placehold" to 255 bytes. */
    static String condaBuildPlaceholder() {
        StringBuilder sb = new StringBuilder("/home/conda/feedstock_root/build_artifacts/demo_1700000000000/_h_env");
        while (sb.length() < 255) {
            sb.append("_placehold");
        }
        sb.setLength(255);
        return sb.toString();
    }
}
