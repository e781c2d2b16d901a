package dev.envlink.link;

/**
 * What a provider can tell about the filesystem holding a path.
 *
 * @param type     filesystem type name, e.g. {@code btrfs}, {@code xfs}, {@code ext4}, {@code apfs}
 * @param device   device identifier as the OS reports it (st_dev, volume serial); "" if unknown
 * @param detail   extra facts (magic number, flags, volume name), free text; may be ""
 * @param provider id of the provider that answered
 */
public record FsInfo(String type, String device, String detail, String provider) {
}
