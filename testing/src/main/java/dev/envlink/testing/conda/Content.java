package dev.envlink.testing.conda;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** File content: bytes in memory, a file on disk (streamed), or a run of zeros (streamed). */
abstract class Content {
    abstract long length() throws IOException;

    abstract InputStream open() throws IOException;

    static Content bytes(byte[] data) {
        byte[] copy = data.clone();
        return new Content() {
            @Override
            long length() {
                return copy.length;
            }

            @Override
            InputStream open() {
                return new ByteArrayInputStream(copy);
            }
        };
    }

    static Content file(Path file) {
        return new Content() {
            @Override
            long length() throws IOException {
                return Files.size(file);
            }

            @Override
            InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }

    static Content zeros(long size) {
        return new Content() {
            @Override
            long length() {
                return size;
            }

            @Override
            InputStream open() {
                return new ZeroStream(size);
            }
        };
    }

    private static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
