package dev.envlink.link;

import java.nio.file.Path;
import java.util.List;

/**
 * How one file was placed.
 *
 * @param source   the source file
 * @param target   the destination
 * @param method   the method actually used
 * @param bytes    the file's size
 * @param declines methods tried before it, with reasons (empty when the first choice worked)
 * @param provider id of the provider that placed it
 */
public record FileOutcome(Path source, Path target, LinkMethod method, long bytes, List<Decline> declines,
                          String provider) {

    public FileOutcome {
        declines = List.copyOf(declines);
    }

    public boolean fellBack() {
        return !declines.isEmpty();
    }
}
