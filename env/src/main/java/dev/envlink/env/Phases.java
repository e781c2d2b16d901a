package dev.envlink.env;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time per phase of a command (fetch, plan, journal, place, records ...), reported in the JSON
 * output so a benchmark can say where the time goes without a profiler. Not thread-safe: phases
 * are marked by the thread that drives the command.
 */
public final class Phases {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** Ends the current phase under {@code name} (added to earlier time of the same name). */
    public void mark(String name) {
        long now = System.nanoTime();
        nanos.merge(name, now - last, Long::sum);
        last = now;
        if (CPU_TRACE) {
            long cpu = processCpuTicks();
            System.err.printf("phase %-24s wall %.3f s  cpu %.2f s%n", name, nanos.get(name) / 1e9, (cpu - lastCpu) / 100.0);
            lastCpu = cpu;
        }
    }

    private static final boolean CPU_TRACE = Boolean.getBoolean("envlink.phaseCpu");
    private long lastCpu = CPU_TRACE ? processCpuTicks() : 0;

    /** utime + stime of this process in clock ticks (Linux /proc; diagnostics only). */
    private static long processCpuTicks() {
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Starts timing afresh without recording the time since the last mark. */
    public void restart() {
        last = System.nanoTime();
    }

    /** Phase name to seconds, in the order the phases first ended. */
    public Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, Math.round(v / 1e5) / 1e4));
        return Collections.unmodifiableMap(out);
    }
}
