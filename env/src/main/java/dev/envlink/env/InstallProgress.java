package dev.envlink.env;

/** Told how many files a transaction places and when each is done (from any thread). */
public interface InstallProgress {
    void started(long totalFiles, long totalBytes);

    void placed(long bytes);

    void finished();

    static InstallProgress none() {
        return new InstallProgress() {
            @Override
            public void started(long totalFiles, long totalBytes) {
            }

            @Override
            public void placed(long bytes) {
            }

            @Override
            public void finished() {
            }
        };
    }
}
