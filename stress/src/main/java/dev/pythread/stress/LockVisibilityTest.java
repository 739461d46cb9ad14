package dev.pythread.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.pythread.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Visibility: what a thread wrote while holding the lock is seen, all of it, by the next thread that takes the
 * lock — a {@code release} happens-before the {@code acquire} that follows it.
 *
 * <p>Python: a writer does {@code with lock: x = 1; y = 1} while a reader does {@code with lock: r = (y, x)};
 * the reader sees {@code (0, 0)} (it went first) or {@code (1, 1)} (it went second), never half of the
 * writer's update. The fields are plain, written in one order and read in the other, so only the lock's
 * release/acquire edge keeps them together. Both actors use {@link Lock#enter()} in try-with-resources, the
 * Java form of {@code with lock:}.
 *
 * <p>Result: {@code r1} — {@code y} as the reader saw it; {@code r2} — {@code x}.
 */
@JCStressTest
@Description("A writer sets x then y under the lock; a reader takes the lock and reads y then x: all or nothing.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "reader went first: saw none of the writes")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "reader went second: saw all of the writes")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "torn: saw the second write but not the first")
@Outcome(id = "0, 1", expect = FORBIDDEN, desc = "torn: saw the first write but not the second")
@State
@SuppressWarnings("try") // try (var held = lock.enter()) is the idiom under test; held is unused on purpose
public class LockVisibilityTest {

    private final Lock lock = new Lock();
    private int x;
    private int y;

    @Actor
    public void writer() {
        try (var held = lock.enter()) {
            x = 1;
            y = 1;
        }
    }

    @Actor
    public void reader(II_Result r) {
        try (var held = lock.enter()) {
            r.r1 = y;
            r.r2 = x;
        }
    }
}
