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

    private static final Map<LinkMethod, MethodStatus> NOT_PROBED = notProbed();

    public MethodStatus status(LinkMethod method) {
        MethodStatus s = statuses.get(method);
        return s != null ? s : NOT_PROBED.get(method);
    }

    /** The decline every file gets for a method this probe found impossible. */
    Decline decline(LinkMethod method) {
        MethodStatus s = status(method);
        return new Decline(method, s.reason(), s.detail(), true);
    }

    private static Map<LinkMethod, MethodStatus> notProbed() {
        Map<LinkMethod, MethodStatus> m = new EnumMap<>(LinkMethod.class);
        for (LinkMethod method : LinkMethod.values()) {
            m.put(method, new MethodStatus(method, MethodStatus.State.UNKNOWN, null, "not probed", ""));
        }
        return Collections.unmodifiableMap(m);
    }

    public boolean sameDevice() {
        return sourceDevice.equals(targetDevice);
    }
}
