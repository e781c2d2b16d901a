package dev.envlink.link;

/**
 * Files that could not use a preferred method, grouped by (wanted, used, reason).
 *
 * @param wanted  the method that was declined
 * @param used    the method the files were placed with instead
 * @param reason  why
 * @param files   how many files
 * @param bytes   their total size
 * @param example one of them, with the provider's message
 */
public record Fallback(LinkMethod wanted, LinkMethod used, DeclineReason reason, long files, long bytes,
                       String example) {

    public String advice() {
        return reason.advice();
    }
}
