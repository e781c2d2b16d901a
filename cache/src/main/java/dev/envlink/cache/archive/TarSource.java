package dev.envlink.cache.archive;

import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;

/**
 * The decompressed tar stream as commons-compress sees it. Turns decompressor failures into
 * {@link PackageFormatException}s naming the archive and component, and bounds the bytes read
 * while one header is parsed (GNU long names, pax headers and sparse maps are read into memory
 * by the tar reader: a huge declared one would otherwise exhaust the heap).
 */
final class TarSource extends InputStream {
    /** Most tar metadata (header records, long names, pax records, sparse maps) for one entry. */
    static final long HEADER_BUDGET = 1 << 20;

    private final InputStream in;
    private final Path archive;
    private final String component;
    private final String compression;
    private boolean inHeader;
    private long headerBytes;
    private String previousEntry;

    TarSource(InputStream in, Path archive, String component, String compression) {
        this.in = in;
        this.archive = archive;
        this.component = component;
        this.compression = compression;
    }

    /** The tar reader is about to parse the header(s) of the entry after {@code previous}. */
    void enterHeader(String previous) {
        inHeader = true;
        headerBytes = 0;
        previousEntry = previous;
    }

    /** The header parse is over; {@code current} (null at the end) is the entry whose data follows. */
    void leaveHeader(String current) {
        inHeader = false;
        if (current != null) {
            previousEntry = current;
        }
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (PackageFormatException | InterruptedIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (PackageFormatException | InterruptedIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        try {
            return in.available();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void count(int n) throws PackageFormatException {
        if (inHeader) {
            headerBytes += n;
            if (headerBytes > HEADER_BUDGET) {
                throw new PackageFormatException(archive, component,
                        "more than " + HEADER_BUDGET + " bytes of tar header data (long names, pax headers or sparse"
                                + " maps) for the entry after " + describe(previousEntry));
            }
        }
    }

    private PackageFormatException corrupt(Exception e) {
        return new PackageFormatException(archive, component, "corrupt or truncated " + compression + " data"
                + (previousEntry == null ? "" : " (at or after entry " + previousEntry + ")") + ": " + e.getMessage(), e);
    }

    static String describe(String previous) {
        return previous == null ? "the start of the archive" : "entry " + previous;
    }
}
