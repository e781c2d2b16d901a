package dev.envlink.link;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What was learnt by real trials between a source and a destination filesystem. The engine keeps
 * one per (source device, destination device) so a big tree costs one probe, not one failed
 * syscall per file.
 */
public record PairProbe(String sourceDevice, String targetDevice, Map<LinkMethod, MethodStatus> statuses) {

    public PairProbe {
        statuses = Collections.unmodifiableMap(new EnumMap<>(statuses));
    }

    public MethodStatus status(LinkMethod method) {
        MethodStatus s = statuses.get(method);
        return s != null ? s : new MethodStatus(method, MethodStatus.State.UNKNOWN, null, "not probed", "");
    }

    public boolean sameDevice() {
        return sourceDevice.equals(targetDevice);
    }
}
