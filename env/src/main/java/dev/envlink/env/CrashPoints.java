package dev.envlink.env;

/**
 * Fault injection for the crash tests. With {@code -Denvlink.crashAt=<point>} the process halts at
 * that point of a transaction without running shutdown hooks or finally blocks; with
 * {@code -Denvlink.pauseAt=<point>} it prints {@code PAUSED <point>} and waits there, so a test can
 * kill -9 it at a known moment. Unset (always, outside tests) both do nothing.
 */
final class CrashPoints {
    private static final String CRASH = System.getProperty("envlink.crashAt", "");
    private static final String PAUSE = System.getProperty("envlink.pauseAt", "");

    private CrashPoints() {
    }

    static void reached(String point) {
        if (CRASH.equals(point)) {
            Runtime.getRuntime().halt(137);
        }
        if (PAUSE.equals(point)) {
            System.out.println("PAUSED " + point);
            System.out.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
