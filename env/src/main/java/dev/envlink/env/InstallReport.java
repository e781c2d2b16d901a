package dev.envlink.env;

import dev.envlink.link.LinkReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an install or remove did.
 *
 * @param prefix     the environment
 * @param added      dists added
 * @param removed    dists removed (including those replaced by an update)
 * @param unchanged  dists requested but already installed
 * @param links      files placed through the link engine, per method actually used, with fallbacks
 * @param rewritten  files written new with the prefix replaced
 * @param copied     no_link files copied
 * @param generated  entry point scripts written
 * @param compiled   noarch: python bytecode files compiled by the environment's python
 * @param warnings   clobbers and other things the user should know
 * @param recovered  what an interrupted earlier transaction needed ("" if nothing)
 * @param dryRun     whether nothing was changed
 * @param elapsed    wall time
 * @param phases     wall seconds per phase (plan, journal, place, records ...), in order
 */
public record InstallReport(String prefix, List<String> added, List<String> removed, List<String> unchanged,
                            LinkReport links, long rewritten, long copied, long generated, long compiled, List<String> warnings,
                            String recovered, boolean dryRun, Duration elapsed,
                            Map<String, Double> phases) {
}
