package dev.envlink.cache.download;

/** The {@link ProgressListener#none()} instance. */
final class NoProgress implements ProgressListener {
    static final NoProgress INSTANCE = new NoProgress();

    private NoProgress() {
    }

    @Override
    public String toString() {
        return "ProgressListener.none()";
    }
}
