package dev.pythread.agent;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The live threads of this JVM grouped by who started them, taken at one moment: what
 * {@code java -jar pythread-agent.jar PID threads} prints, as text for people or as JSON ({@code --json}) for tools.
 *
 * <p>Each thread falls in one group:
 * <ul>
 *   <li>{@link Origin#FRAME}: started at a frame of application or library code — the nearest frame on the starting
 *       stack that is not the JDK's, with its jar ({@link Caller}); threads started at the same line share a group,
 *       so a pool's workers show as one line with a count;</li>
 *   <li>{@link Origin#JDK}: started by the JDK on a stack with no frame but its own (its cleaners, its schedulers),
 *       and the JDK's internal threads whatever the stack: a virtual thread's carriers and unblocker are started on
 *       the stack of the first virtual thread's starter, but belong to the JDK's scheduler, not to that code;</li>
 *   <li>{@link Origin#UNATTRIBUTED}: seen starting, but beyond the agent's budget for finding frames
 *       ({@link WalkBudget}: the first {@value WalkBudget#BURST} starts, then {@value WalkBudget#PER_SECOND} a
 *       second);</li>
 *   <li>{@link Origin#AGENT}: pythread-agent's own threads;</li>
 *   <li>{@link Origin#UNSEEN}: alive but never seen starting: the JVM's threads and {@code main}, started before
 *       the agent was loaded, threads started before an attach, and native threads attached to the JVM.</li>
 * </ul>
 * Virtual threads are listed from the agent's records (the JDK lists only platform threads), so a virtual thread
 * started before the agent was attached is missing.
 */
final class ThreadInventory {

    /** How a group's threads came to be. */
    enum Origin {
        /** Started at a frame of application or library code. */
        FRAME,
        /** Started by the JDK on its own. */
        JDK,
        /** Seen starting, but not attributed: beyond the agent's {@link WalkBudget}. */
        UNATTRIBUTED,
        /** pythread-agent's own threads. */
        AGENT,
        /** Never seen starting. */
        UNSEEN;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One live thread, as it was when the inventory was taken.
     *
     * @param ageMillis how long ago it started, or {@code -1} when unknown ({@link Origin#UNSEEN})
     */
    record Entry(String name, long id, Thread.State state, boolean daemon, boolean virtual, long ageMillis) {
    }

    /**
     * The threads of one origin and, for {@link Origin#FRAME}, one starting frame; oldest first.
     *
     * @param creator the starting frame, {@code null} unless {@link Origin#FRAME}
     */
    record Group(Origin origin, Caller creator, List<Entry> threads) {
    }

    /** Text lists at most this many threads of a group (the oldest), then how many more; JSON lists all. */
    static final int TEXT_THREADS_PER_GROUP = 20;

    /** {@code Thread.isVirtual()}, JDK 21+, or {@code null}: looked up once, for a command, never on a start. */
    private static final Method IS_VIRTUAL = isVirtualMethod();

    private final List<Group> groups;
    private final int threadCount;
    private final int records;
    private final long lost;

    private ThreadInventory(List<Group> groups, int records, long lost) {
        this.groups = groups;
        this.threadCount = groups.stream().mapToInt(group -> group.threads().size()).sum();
        this.records = records;
        this.lost = lost;
    }

    /**
     * The live threads now: those the agent saw start ({@code live}) and every other platform thread.
     *
     * @param live the agent's records
     */
    static ThreadInventory take(LiveThreads live) {
        long now = System.currentTimeMillis();
        int records = live.held(); // before alive() prunes: what the start path has let pile up
        // A group's key is its starting frame (a Caller) or, for the others, its Origin: it says all of the group.
        Map<Object, List<Entry>> byKey = new LinkedHashMap<>();
        Set<Thread> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (LiveThreads.Started record : live.alive()) {
            seen.add(record.thread);
            boolean internal = isJdkInternal(record.thread.getClass());
            Caller creator = internal || !record.attributed ? null : record.creator();
            Origin origin = internal ? Origin.JDK
                    : !record.attributed ? Origin.UNATTRIBUTED : creator == null ? Origin.JDK : Origin.FRAME;
            Object key = creator == null ? origin : creator;
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(entry(record.thread, now - record.startedMillis));
        }
        for (Thread thread : platformThreads()) {
            if (seen.contains(thread) || !thread.isAlive()) {
                continue;
            }
            Origin origin = thread instanceof AgentThread ? Origin.AGENT : Origin.UNSEEN;
            byKey.computeIfAbsent(origin, k -> new ArrayList<>()).add(entry(thread, -1));
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<Object, List<Entry>> group : byKey.entrySet()) {
            List<Entry> threads = List.copyOf(group.getValue());
            groups.add(group.getKey() instanceof Caller
                    ? new Group(Origin.FRAME, (Caller) group.getKey(), threads)
                    : new Group((Origin) group.getKey(), null, threads));
        }
        groups.sort(Comparator.comparingInt((Group group) -> -group.threads().size())
                .thenComparing(ThreadInventory::label));
        return new ThreadInventory(List.copyOf(groups), records, live.lost());
    }

    List<Group> groups() {
        return groups;
    }

    private static Entry entry(Thread thread, long ageMillis) {
        return new Entry(thread.getName(), thread.getId(), thread.getState(), thread.isDaemon(), isVirtual(thread),
                ageMillis);
    }

    /** Every platform thread alive now, from the root thread group (which the JDK fills from its thread list). */
    private static List<Thread> platformThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count;
        while ((count = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.asList(threads).subList(0, count);
    }

    /**
     * A thread class of the JDK's own that no application code can create: in a JDK package that is not exported
     * ({@code jdk.internal.misc.CarrierThread}, {@code InnocuousThread}). {@code ForkJoinWorkerThread} and
     * {@code VirtualThread} are not: their threads are the application's pools and tasks.
     */
    private static boolean isJdkInternal(Class<?> type) {
        return TrustedClasses.isJdk(type) && !type.getModule().isExported(type.getPackageName());
    }

    private static Method isVirtualMethod() {
        try {
            return Thread.class.getMethod("isVirtual");
        } catch (NoSuchMethodException jdk17) {
            return null;
        }
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (Boolean) IS_VIRTUAL.invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** {@code dev.example.Pool.start(Pool.java:42) in /opt/app/lib/pool.jar}, or what an origin says instead. */
    static String label(Group group) {
        switch (group.origin()) {
            case JDK:
                return "started by the JDK";
            case UNATTRIBUTED:
                return "not attributed (the agent looks for who started a thread in the first " + WalkBudget.BURST
                        + " starts, then in " + WalkBudget.PER_SECOND + " a second)";
            case AGENT:
                return "pythread-agent's own";
            case UNSEEN:
                return "not seen starting (started before the agent, or attached from native code)";
            default:
                Caller caller = group.creator();
                String where = caller.file() == null ? "Unknown Source"
                        : caller.line() >= 0 ? caller.file() + ":" + caller.line() : caller.file();
                return "started at " + caller.className() + "." + caller.method() + "(" + where + ") in "
                        + (caller.source() == null ? "an unknown code source" : caller.source());
        }
    }

    /**
     * For people: a heading, then per group its count and label and its oldest threads, one per line.
     *
     * @param pid this process's id, for the heading
     */
    String text(long pid) {
        String newline = System.lineSeparator();
        StringBuilder out = new StringBuilder();
        out.append("pythread-agent: ").append(threadCount).append(threadCount == 1 ? " live thread" : " live threads")
                .append(" in process ").append(pid).append(" (Java ").append(Runtime.version())
                .append("), grouped by who started them").append(newline);
        if (lost > 0) {
            out.append("pythread-agent: ").append(lost).append(lost == 1 ? " start" : " starts")
                    .append(" could not be recorded (no memory or stack left); those threads show as not seen starting")
                    .append(newline);
        }
        for (Group group : groups) {
            out.append(newline).append(String.format(Locale.ROOT, "%5d  ", group.threads().size()))
                    .append(label(group)).append(newline);
            List<Entry> threads = group.threads();
            for (int i = 0; i < threads.size() && i < TEXT_THREADS_PER_GROUP; i++) {
                out.append("       ").append(describe(threads.get(i))).append(newline);
            }
            if (threads.size() > TEXT_THREADS_PER_GROUP) {
                out.append("       … and ").append(threads.size() - TEXT_THREADS_PER_GROUP).append(" more")
                        .append(newline);
            }
        }
        return out.toString();
    }

    /** {@code "qtp-17" #31 TIMED_WAITING, daemon, 12.4 s old}. */
    private static String describe(Entry entry) {
        StringBuilder line = new StringBuilder();
        Json.appendString(line, entry.name());
        line.append(" #").append(entry.id()).append(' ').append(entry.state());
        if (entry.virtual()) {
            line.append(", virtual");
        } else if (entry.daemon()) {
            line.append(", daemon");
        }
        if (entry.ageMillis() >= 0) {
            line.append(", ").append(age(entry.ageMillis())).append(" old");
        }
        return line.toString();
    }

    private static String age(long millis) {
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (millis < 3_600_000) {
            return String.format(Locale.ROOT, "%d min %d s", millis / 60_000, millis / 1000 % 60);
        }
        return String.format(Locale.ROOT, "%d h %d min", millis / 3_600_000, millis / 60_000 % 60);
    }

    /**
     * For tools: {@code {"pid", "java", "agent", "threads", "records", "lost", "groups": [{"startedBy", "creator",
     * "count", "threads": [{"name", "id", "state", "daemon", "virtual", "ageMillis"}]}]}}, one line. {@code startedBy} is
     * {@code frame}, {@code jdk}, {@code unattributed}, {@code agent} or {@code unseen}; {@code creator} is the frame
     * ({@link Caller}'s JSON) or {@code null}; {@code ageMillis} is {@code null} when unknown; {@code records} is how
     * many start records the agent held when asked, live threads' and ended ones' not yet pruned; {@code lost} how many
     * starts it could not record.
     *
     * @param pid this process's id
     */
    String json(long pid) {
        StringBuilder out = new StringBuilder(256 + 128 * threadCount);
        out.append("{\"pid\":").append(pid).append(",\"java\":");
        Json.appendString(out, Runtime.version().toString());
        out.append(",\"agent\":");
        Json.appendString(out, AgentVersion.VERSION);
        out.append(",\"threads\":").append(threadCount).append(",\"records\":").append(records)
                .append(",\"lost\":").append(lost).append(",\"groups\":[");
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            out.append(g == 0 ? "" : ",").append("{\"startedBy\":\"").append(group.origin().jsonName())
                    .append("\",\"creator\":");
            if (group.creator() == null) {
                out.append("null");
            } else {
                group.creator().appendJson(out);
            }
            out.append(",\"count\":").append(group.threads().size()).append(",\"threads\":[");
            for (int t = 0; t < group.threads().size(); t++) {
                Entry entry = group.threads().get(t);
                out.append(t == 0 ? "" : ",").append("{\"name\":");
                Json.appendString(out, entry.name());
                out.append(",\"id\":").append(entry.id()).append(",\"state\":\"").append(entry.state())
                        .append("\",\"daemon\":").append(entry.daemon()).append(",\"virtual\":")
                        .append(entry.virtual()).append(",\"ageMillis\":")
                        .append(entry.ageMillis() >= 0 ? String.valueOf(entry.ageMillis()) : "null").append('}');
            }
            out.append("]}");
        }
        return out.append("]}").toString();
    }
}
