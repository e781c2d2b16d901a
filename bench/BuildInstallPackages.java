import dev.envlink.testing.conda.CondaPackageBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Builds the packages of bench/install.sh from a real Python installation (sys.base_prefix):
 *   java -cp <envlink-testing and its dependencies> bench/BuildInstallPackages.java PREFIX OUT [BIG]
 *
 * <ul>
 *   <li>{@code bench-python}: everything in PREFIX except lib/pythonX.Y (bin/, include/, lib/*.so*,
 *       lib/pkgconfig, share/ ...)</li>
 *   <li>{@code bench-python-stdlib}: lib/pythonX.Y without site-packages</li>
 *   <li>{@code bench-sp-<dir>}: each of the BIG (default 10) largest top-level entries of
 *       site-packages, one package each</li>
 *   <li>{@code bench-sp-rest}: the other site-packages entries</li>
 * </ul>
 *
 * Like conda-build, text files (no NUL, valid UTF-8, at most 4 MiB) that contain PREFIX get it as
 * their prefix placeholder (paths.json file_mode text), so an install rewrites them; everything else
 * (including .pyc and shared libraries that mention PREFIX) is a plain file. Modes, mtimes, symlinks,
 * empty directories and in-package hard links are kept. Prints one line per package:
 * {@code <archive> <files> <bytes> <prefix-files>}.
 */
public class BuildInstallPackages {
    private static final long TEXT_LIMIT = 4L << 20;

    record Spec(String name, Path base, List<Path> roots, Predicate<Path> exclude) {
    }

    public static void main(String[] args) throws Exception {
        Path prefix = Path.of(args[0]).toRealPath();
        Path out = Path.of(args[1]);
        int big = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Files.createDirectories(out);

        Path stdlib;
        try (var s = Files.list(prefix.resolve("lib"))) {
            stdlib = s.filter(p -> p.getFileName().toString().matches("python\\d+\\.\\d+") && Files.isDirectory(p))
                    .findFirst().orElseThrow(() -> new IOException("no lib/pythonX.Y under " + prefix));
        }
        Path site = stdlib.resolve("site-packages");

        List<Spec> specs = new ArrayList<>();
        List<Path> top;
        try (var s = Files.list(prefix)) {
            top = s.sorted().toList();
        }
        specs.add(new Spec("bench-python", prefix, top, p -> p.startsWith(stdlib)));
        specs.add(new Spec("bench-python-stdlib", prefix, List.of(stdlib), p -> p.startsWith(site)));
        if (Files.isDirectory(site)) {
            List<Path> entries;
            try (var s = Files.list(site)) {
                entries = s.toList();
            }
            Map<Path, Long> size = new HashMap<>();
            for (Path e : entries) {
                size.put(e, sizeOf(e));
            }
            List<Path> bySize = new ArrayList<>(entries);
            bySize.sort(Comparator.comparing((Path e) -> size.get(e)).reversed().thenComparing(Path::toString));
            for (Path e : bySize.subList(0, Math.min(big, bySize.size()))) {
                specs.add(new Spec("bench-sp-" + sanitize(e.getFileName().toString()), prefix, List.of(e), p -> false));
            }
            if (bySize.size() > big) {
                List<Path> rest = new ArrayList<>(bySize.subList(big, bySize.size()));
                rest.sort(Comparator.naturalOrder());
                specs.add(new Spec("bench-sp-rest", prefix, rest, p -> false));
            }
        }

        byte[] needle = prefix.toString().getBytes(StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<String>> done = new ArrayList<>();
            for (Spec spec : specs) {
                done.add(pool.submit(() -> build(spec, out, needle)));
            }
            for (Future<String> f : done) {
                System.out.println(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String build(Spec spec, Path out, byte[] needle) throws IOException {
        CondaPackageBuilder b = CondaPackageBuilder.create(spec.name(), "1.0", "0");
        String placeholder = new String(needle, StandardCharsets.UTF_8);
        Map<Object, String> firstByInode = new HashMap<>();
        long[] files = new long[1];
        long[] bytes = new long[1];
        long[] withPrefix = new long[1];
        for (Path root : spec.roots()) {
            if (spec.exclude().test(root)) {
                continue;
            }
            BasicFileAttributes ra = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!ra.isDirectory()) {
                addFile(b, spec.base(), root, ra, firstByInode, needle, placeholder, files, bytes, withPrefix);
                continue;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (spec.exclude().test(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    try (var children = Files.list(dir)) {
                        if (children.findAny().isEmpty()) {
                            b.emptyDir(rel(spec.base(), dir), mode(dir));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!spec.exclude().test(file)) {
                        addFile(b, spec.base(), file, attrs, firstByInode, needle, placeholder, files, bytes, withPrefix);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        Path archive = b.writeConda(out);
        return archive.getFileName() + " " + files[0] + " " + bytes[0] + " " + withPrefix[0];
    }

    private static void addFile(CondaPackageBuilder b, Path base, Path file, BasicFileAttributes attrs,
            Map<Object, String> firstByInode, byte[] needle, String placeholder, long[] files, long[] bytes,
            long[] withPrefix) throws IOException {
        String rel = rel(base, file);
        if (attrs.isSymbolicLink()) {
            b.symlink(rel, Files.readSymbolicLink(file).toString());
            files[0]++;
            return;
        }
        if (!attrs.isRegularFile()) {
            return; // fifos, sockets, devices
        }
        files[0]++;
        Object key = attrs.fileKey();
        String first = key == null ? null : firstByInode.putIfAbsent(key, rel);
        if (first != null) {
            b.hardlink(rel, first);
            return;
        }
        bytes[0] += attrs.size();
        int mode = mode(file);
        if (attrs.size() <= TEXT_LIMIT) {
            byte[] content = Files.readAllBytes(file);
            if (indexOf(content, needle) >= 0 && indexOf(content, new byte[] {0}) < 0) {
                String text = utf8(content);
                if (text != null) {
                    b.textFileWithPrefix(rel, text, placeholder, mode);
                    withPrefix[0]++;
                    return;
                }
            }
        }
        b.fileFrom(rel, file, mode, attrs.lastModifiedTime().toInstant());
    }

    private static String utf8(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long sizeOf(Path p) throws IOException {
        long[] total = new long[1];
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.isRegularFile() ? attrs.size() : 0;
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static String sanitize(String s) {
        String n = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.]", "_");
        return n.isEmpty() ? "x" : n;
    }

    private static String rel(Path base, Path p) {
        return base.relativize(p).toString();
    }

    private static int mode(Path p) throws IOException {
        int m = 0;
        for (PosixFilePermission perm : Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) {
            m |= switch (perm) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return m;
    }
}
