package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link LinkProvider} driven by a script: per method it succeeds (with a real NIO copy or link,
 * so the target really exists), declines with a given reason, or throws a real I/O error. Every
 * call is recorded, including the engine's probe trials (targets named {@code .envlink-probe-*}).
 */
final class ScriptedProvider implements LinkProvider {

    /** What one call does. */
    sealed interface Action permits Succeed, Decline, Fail, Throw, Partial {
    }

    record Succeed() implements Action {
    }

    record Decline(DeclineReason reason) implements Action {
    }

    /** Throws a plain {@link IOException} with this message, leaving no target. */
    record Fail(String message) implements Action {
    }

    /** Throws an unchecked throwable (an Error from native code, a bug). */
    record Throw(Throwable error) implements Action {
    }

    /** Writes a partial target, then throws a plain {@link IOException}: a contract-breaking provider. */
    record Partial(String message) implements Action {
    }

    static final Action SUCCEED = new Succeed();

    static Action decline(DeclineReason reason) {
        return new Decline(reason);
    }

    static Action fail(String message) {
        return new Fail(message);
    }

    /** One recorded call. */
    record Call(LinkMethod method, Path source, Path target) {
        boolean probe() {
            return target.getFileName().toString().startsWith(".envlink-probe-");
        }
    }

    private final String id;
    private final int priority;
    private final Set<LinkMethod> methods;
    private final Map<LinkMethod, Function<Call, Action>> script = new EnumMap<>(LinkMethod.class);
    private final List<Call> calls = new ArrayList<>();
    private volatile Availability availability = Availability.ok();

    ScriptedProvider() {
        this("scripted", 100, EnumSet.allOf(LinkMethod.class));
    }

    ScriptedProvider(String id, int priority, Set<LinkMethod> methods) {
        this.id = id;
        this.priority = priority;
        this.methods = EnumSet.copyOf(methods);
        for (LinkMethod m : LinkMethod.values()) {
            script.put(m, call -> SUCCEED);
        }
    }

    /** The same action for every file. */
    synchronized ScriptedProvider on(LinkMethod method, Action action) {
        script.put(method, call -> action);
        return this;
    }

    /** An action chosen per source file. */
    synchronized ScriptedProvider on(LinkMethod method, Function<Path, Action> perSource) {
        script.put(method, call -> perSource.apply(call.source()));
        return this;
    }

    /** An action chosen per call (e.g. different for probe trials and real files). */
    synchronized ScriptedProvider onCall(LinkMethod method, Function<Call, Action> perCall) {
        script.put(method, perCall);
        return this;
    }

    ScriptedProvider availability(Availability a) {
        this.availability = a;
        return this;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Set<LinkMethod> methods() {
        return methods;
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public void link(LinkMethod method, Path source, Path target) throws IOException {
        Call call = new Call(method, source, target);
        Function<Call, Action> f;
        synchronized (this) {
            calls.add(call);
            f = script.get(method);
        }
        Action action = f.apply(call);
        if (action instanceof Succeed) {
            switch (method) {
                case REFLINK, COPY -> Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
                case HARDLINK -> Files.createLink(target, source);
                case SYMLINK -> Files.createSymbolicLink(target, source.toAbsolutePath());
                default -> throw new AssertionError(method);
            }
        } else if (action instanceof Decline d) {
            throw new LinkDeclinedException(method, d.reason(), source, target, "scripted " + d.reason());
        } else if (action instanceof Fail fail) {
            throw new IOException(fail.message());
        } else if (action instanceof Throw t) {
            if (t.error() instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) t.error();
        } else if (action instanceof Partial p) {
            Files.writeString(target, "partial");
            throw new IOException(p.message());
        }
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** All calls for a method, probe trials included. */
    synchronized long calls(LinkMethod method) {
        return calls.stream().filter(c -> c.method() == method).count();
    }

    /** Calls for a method made to place real files (probe trials excluded). */
    synchronized long fileCalls(LinkMethod method) {
        return calls.stream().filter(c -> c.method() == method && !c.probe()).count();
    }

    /** Probe trials for a method. */
    synchronized long probeCalls(LinkMethod method) {
        return calls.stream().filter(c -> c.method() == method && c.probe()).count();
    }

    synchronized void reset() {
        calls.clear();
    }
}
