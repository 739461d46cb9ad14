package dev.pythread.junit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a closing {@link LeakScope} left alive, in four steps:
 * <ol>
 *   <li><b>suspects</b>: its start records whose thread is alive, and the live platform threads that appeared during
 *       it with no start record, if they are its own ({@link LeakScope#attributeUnrecorded()}); those it can only
 *       say belong to one of its class's tests go to the class;</li>
 *   <li><b>exemptions</b>: {@link Infrastructure} and the scope's {@link IgnoreRule}s drop theirs, before any wait;</li>
 *   <li><b>linger</b>: each remaining thread is joined with what is left of one deadline, so the wait ends as soon as
 *       they have all ended, and never lasts longer than the linger in all;</li>
 *   <li><b>capture</b>: the state and stack of each thread still alive ({@link LeakedThread#capture}), in the order
 *       the threads were created.</li>
 * </ol>
 */
final class LeakCheck {

    private LeakCheck() {
    }

    /**
     * The threads {@code scope}, now closed, leaked.
     *
     * @param records its start records
     */
    static List<LeakedThread> leaked(LeakScope scope, List<StartRecord> records, LeakScopes scopes) {
        Map<Thread, StartRecord> suspects = new IdentityHashMap<>();
        for (StartRecord record : records) {
            if (record.thread().isAlive()) {
                suspects.putIfAbsent(record.thread(), record);
            }
        }
        addUnrecorded(scope, suspects, scopes);
        scope.forget();
        suspects.values().removeIf(record -> Infrastructure.isInfrastructure(record) || ignored(scope, record));

        List<StartRecord> remaining = new ArrayList<>(suspects.values());
        remaining.sort(Comparator.comparingLong(record -> LiveThreads.id(record.thread())));
        linger(remaining, scope.settings.lingerNanos);
        List<LeakedThread> leaked = new ArrayList<>();
        for (StartRecord record : remaining) {
            LeakedThread thread = LeakedThread.capture(record);
            if (thread != null) {
                leaked.add(thread);
            }
        }
        return leaked;
    }

    /** The live platform threads that appeared during {@code scope}, were not started on record, nor judged yet. */
    private static void addUnrecorded(LeakScope scope, Map<Thread, StartRecord> suspects, LeakScopes scopes) {
        LeakScope.Attribution attribution = null;
        for (Thread thread : LiveThreads.all()) {
            if (scope.existedBefore(LiveThreads.id(thread)) || suspects.containsKey(thread)
                    || scopes.wasStarted(thread) || !scopes.judge(thread)) {
                continue;
            }
            if (attribution == null) {
                attribution = scope.attributeUnrecorded();
            }
            switch (attribution) {
                case THIS:
                    suspects.put(thread, new StartRecord(thread, scope.creator, null));
                    break;
                case CLASS:
                    scope.parent.record(new StartRecord(thread, scope.parent.parallelTestCreator(), null));
                    break;
                default:
                    break;
            }
        }
    }

    private static boolean ignored(LeakScope scope, StartRecord record) {
        for (IgnoreRule rule : scope.settings.ignore) {
            if (rule.matches(record.thread(), record.frame())) {
                return true;
            }
        }
        return false;
    }

    /** Joins each thread with what is left of the linger; an interrupt ends the wait (and stays set). */
    private static void linger(List<StartRecord> records, long lingerNanos) {
        long deadline = System.nanoTime() + lingerNanos;
        for (StartRecord record : records) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            try {
                // join(0, 0) would wait forever: remaining > 0 here, and a positive nanos rounds up to 1 ms.
                record.thread().join(TimeUnit.NANOSECONDS.toMillis(remaining), (int) (remaining % 1_000_000));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
