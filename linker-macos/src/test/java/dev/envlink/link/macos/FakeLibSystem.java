package dev.envlink.link.macos;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A {@link LibSystem} that runs anywhere: each call returns a scripted errno (0 = success, done
 * with NIO so the result really exists), the way libSystem reports through errno. Records calls.
 */
final class FakeLibSystem implements LibSystem {
    record Call(String function, String from, String to, int flags) {
    }

    /** errno for a clonefile of (src, dst); 0 = clone (a copy here). */
    volatile BiFunction<Path, Path, Integer> clonefile = (s, d) -> 0;
    /** errno for a copyfile of (src, dst); 0 = copy. */
    volatile BiFunction<Path, Path, Integer> copyfile = (s, d) -> 0;
    /** Write this many bytes of the copy before failing (a partial copy left behind). */
    volatile int partialBytes = -1;
    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<Integer> errno = ThreadLocal.withInitial(() -> 0);

    @Override
    public int clonefile(String src, String dst, int flags) {
        calls.add(new Call("clonefile", src, dst, flags));
        int e = clonefile.apply(Path.of(src), Path.of(dst));
        if (e == 0) {
            e = realCopy(Path.of(src), Path.of(dst));
        }
        return result(e);
    }

    @Override
    public int copyfile(String from, String to, Pointer state, int flags) {
        calls.add(new Call("copyfile", from, to, flags));
        int e = copyfile.apply(Path.of(from), Path.of(to));
        if (e != 0 && partialBytes >= 0) {
            try {
                Files.write(Path.of(to), new byte[partialBytes]);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        if (e == 0) {
            e = realCopy(Path.of(from), Path.of(to));
        }
        return result(e);
    }

    @Override
    public int statfs(String path, Statfs buf) {
        calls.add(new Call("statfs", path, null, 0));
        byte[] name = "apfs".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, buf.f_fstypename, 0, name.length);
        byte[] on = "/System/Volumes/Data".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(on, 0, buf.f_mntonname, 0, on.length);
        buf.f_bsize = 4096;
        buf.f_flags = Flags.MNT_LOCAL;
        return result(0);
    }

    @Override
    public int lastError() {
        return errno.get();
    }

    private int result(int e) {
        errno.set(e);
        return e == 0 ? 0 : -1;
    }

    /** What success does: the tree or file appears (a copy stands in for the clone). */
    private static int realCopy(Path from, Path to) {
        try {
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                return Errno.EEXIST;
            }
            try (var s = Files.walk(from)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path t = to.resolve(from.relativize(p).toString());
                    Files.copy(p, t, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            return 0;
        } catch (FileAlreadyExistsException e) {
            return Errno.EEXIST;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count(String function) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.function().equals(function)).count();
        }
    }
}
