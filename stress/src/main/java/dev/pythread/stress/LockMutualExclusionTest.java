package dev.pythread.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.pythread.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Mutual exclusion: two threads that race {@link Lock#acquire()} are never inside at the same time.
 *
 * <p>Python: two threads that each run {@code lock.acquire(); n = counter; counter = n + 1; lock.release()}
 * on one {@code _thread.LockType} end with {@code counter == 2}, and the second one in read the first one's
 * write. The counter is a plain field: only the lock orders the two read-modify-writes.
 *
 * <p>Result: {@code r1}, {@code r2} — what each actor read inside the lock; {@code r3} — the counter after both.
 *
 * <p>Two other ways a broken lock shows here: when both actors get in, the second {@code release()} usually throws
 * {@code ThreadError("release unlocked lock")}, which jcstress reports as an error; and a lost wake-up (an actor
 * parked in {@code acquire()} that nobody unparks) hangs the run, which {@code stress/run.sh} fails after its
 * time limit, with the stacks of the hung JVM.
 */
@JCStressTest
@Description("Two actors increment a plain field under Lock.acquire()/release(); no update may be lost.")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "actor1 went in first, actor2 saw its write")
@Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "actor2 went in first, actor1 saw its write")
@Outcome(id = "0, 0, 1", expect = FORBIDDEN, desc = "both were inside at once: an update was lost")
@Outcome(expect = FORBIDDEN, desc = "impossible for any lock: the harness or the test is broken")
@State
public class LockMutualExclusionTest {

    private final Lock lock = new Lock();
    private int counter;

    @Actor
    public void actor1(III_Result r) {
        lock.acquire();
        try {
            int n = counter;
            counter = n + 1;
            r.r1 = n;
        } finally {
            lock.release();
        }
    }

    @Actor
    public void actor2(III_Result r) {
        lock.acquire();
        try {
            int n = counter;
            counter = n + 1;
            r.r2 = n;
        } finally {
            lock.release();
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = counter;
    }
}
