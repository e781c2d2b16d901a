package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.Decline;
import dev.envlink.link.DeclineReason;
import dev.envlink.link.ExistingPolicy;
import dev.envlink.link.FileOutcome;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.LinkProviders;
import dev.envlink.link.Linker;
import dev.envlink.link.PortableLinkProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Shared helpers for the real-filesystem tests. */
final class Fixtures {
    static final int MIB = 1 << 20;

    private Fixtures() {
    }

    /** The engine over the real Linux provider, with the portable one behind it. */
    static Linker linker(LinkMode mode, boolean strict) {
        return linker(new LinkOptions(mode, strict, ExistingPolicy.FAIL, 4));
    }

    static Linker linker(LinkOptions options) {
        return new Linker(LinkProviders.of(new LinuxLinkProvider(), new PortableLinkProvider()), options);
    }

    /** Writes {@code size} pseudo-random bytes (reproducible from the seed) and fsyncs them. */
    static Path writeRandom(Path file, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        return file;
    }

    /** Overwrites bytes in place at {@code offset} and fsyncs. */
    static void overwrite(Path file, long offset, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            long pos = offset;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            ch.force(true);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static Object fileKey(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        assertTrue(key != null, "no fileKey for " + file);
        return key;
    }

    static long roundUp(long n, long block) {
        return (n + block - 1) / block * block;
    }

    /** Result of an external command; output is stdout and stderr merged. */
    record Proc(int exitCode, String output) {
    }

    /** Runs a tool (looked up on PATH, /sbin, /usr/sbin) and returns its exit code and output. */
    static Proc exec(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, tool(command[0]));
        Path log = Files.createTempFile("envlink-test-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            return new Proc(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Runs a tool and asserts it succeeded; returns its output. */
    static String run(String... command) throws IOException, InterruptedException {
        Proc p = exec(command);
        assertEquals(0, p.exitCode(), () -> String.join(" ", command) + " failed: " + p.output());
        return p.output();
    }

    private static String tool(String name) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return name;
    }

    /** Bytes actually allocated to a file, from stat(1) (%b blocks of %B bytes each). */
    static long allocatedBytes(Path file) throws IOException, InterruptedException {
        String[] parts = run("stat", "-c", "%b %B", file.toString()).strip().split("\\s+");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }

    static boolean hasDecline(FileOutcome outcome, LinkMethod method, DeclineReason reason) {
        return outcome.declines().stream().anyMatch(d -> d.method() == method && d.reason() == reason);
    }

    static String describeDeclines(List<Decline> declines) {
        return declines.stream().map(d -> d.method() + "/" + d.reason() + " (" + d.detail() + ")")
                .collect(Collectors.joining("; ", "[", "]"));
    }

    /** Files in a directory, names only (for "nothing was left behind" checks). */
    static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
