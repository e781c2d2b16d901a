package dev.envlink.cache.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private static DownloadRequest req(String name) {
        return new DownloadRequest(URI.create("https://h/c/" + name), Path.of("/pkgs", name));
    }

    private static DownloadResult result(DownloadRequest r, long bytes) {
        return new DownloadResult(r, r.url(), bytes, "0".repeat(64), "0".repeat(32), 1, Duration.ZERO);
    }

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private String lastLine() {
        String s = output();
        String[] parts = s.split("[\r\n]");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isBlank()) {
                return parts[i].strip();
            }
        }
        return "";
    }

    @Test
    void aggregateLineRedrawnInPlaceAndEndedWhenIdle() {
        TerminalProgress p = new TerminalProgress(out, 120, clock::get);
        DownloadRequest a = req("a-1-0.conda");
        DownloadRequest b = req("b-1-0.conda");
        p.started(a, 2 * 1024 * 1024);
        assertTrue(lastLine().endsWith("a-1-0.conda"), lastLine());
        p.started(b, -1);
        clock.addAndGet(1_000_000_000L);
        p.advanced(a, 1024 * 1024);
        assertTrue(lastLine().contains("0 done, 2 active"), lastLine());
        assertTrue(lastLine().contains("[##########----------]  1.0 MiB / 2.0 MiB"), lastLine());
        assertTrue(lastLine().contains("MiB/s"), lastLine());
        p.finished(result(a, 2 * 1024 * 1024));
        assertTrue(output().indexOf('\n') < 0, "no newline while downloads are active");
        p.failed(b, new IOException("boom"));
        assertTrue(output().endsWith("\n"), output());
        assertTrue(output().startsWith("\r"));
        assertTrue(lastLine().startsWith("downloading: 1 done, 1 failed, 0 active"), lastLine());
    }

    @Test
    void throttlesRedrawsOfProgress() {
        TerminalProgress p = new TerminalProgress(out, 80, clock::get);
        DownloadRequest a = req("a.conda");
        p.started(a, 1000);
        int before = output().length();
        for (int i = 1; i <= 50; i++) {
            p.advanced(a, i); // same instant: no redraw
        }
        assertEquals(before, output().length());
        clock.addAndGet(200_000_000L);
        p.advanced(a, 500);
        assertTrue(output().length() > before);
        p.retrying(a, 1, new IOException("x"), Duration.ZERO);
        assertTrue(lastLine().contains("1 retry"), lastLine());
    }

    @Test
    void lineFitsTheWidthAndShorterLinesEraseLongerOnes() {
        TerminalProgress p = new TerminalProgress(out, 40, clock::get);
        DownloadRequest a = req("a-very-long-package-name-that-does-not-fit-1.0-0.conda");
        p.started(a, 10);
        String line = lastLine();
        assertTrue(line.length() <= 39, line);
        assertTrue(line.endsWith("…"), line);
    }

    @Test
    void noBarForJsonOrWithoutConsole() {
        assertTrue(TerminalProgress.forTerminal(true).isEmpty());
        assumeTrue(System.console() == null, "running on a terminal");
        assertTrue(TerminalProgress.forTerminal(false).isEmpty());
    }

    @Test
    void formatsSizesAndColumns() {
        assertEquals("512 B", TerminalProgress.bytes(512));
        assertEquals("1.5 KiB", TerminalProgress.bytes(1536));
        assertEquals("3.0 GiB", TerminalProgress.bytes(3L << 30));
        assertEquals(132, TerminalProgress.columns("132"));
        assertEquals(80, TerminalProgress.columns("wide"));
        assertEquals(80, TerminalProgress.columns(null));
    }
}
