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
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * A timed {@link Lock#acquire(boolean, double) acquire(true, timeout)} that races the holder's
 * {@link Lock#release()}: a waiter that times out does not hold the lock, and a waiter that gets the lock does
 * not report a time-out.
 *
 * <p>Python: with {@code lock} held by thread A, thread B's {@code lock.acquire(timeout=1e-6)} racing thread
 * A's {@code lock.release()} returns {@code True} exactly when B then holds the lock ({@code lock.locked()}),
 * and {@code False} exactly when it is free. The timeout is short enough that both happen: the release comes
 * before B's deadline (B gets the lock, possibly after parking in the wait queue) or after it (B leaves the
 * queue empty-handed; the lock is then released into nobody's hands).
 *
 * <p>Result: {@code r1} — what the timed {@code acquire} returned; {@code r2} — {@code locked()} after both.
 */
@JCStressTest
@Description("The holder releases while another thread waits in acquire(true, 1 us); the return value must agree with locked().")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "released before the deadline: the waiter got the lock")
@Outcome(id = "false, false", expect = ACCEPTABLE, desc = "released after the deadline: timed out, lock is free")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "acquire said yes but nobody holds the lock")
@Outcome(id = "false, true", expect = FORBIDDEN, desc = "timed out, yet the lock was taken on the waiter's behalf")
@State
public class LockTimedAcquireReleaseTest {

    /** One microsecond: near the cost of entering the wait queue, so the deadline and the release race. */
    private static final double TIMEOUT_SECONDS = 1e-6;

    private final Lock lock = new Lock();

    public LockTimedAcquireReleaseTest() {
        lock.acquire(); // held by the "holder" actor from the start
    }

    @Actor
    public void holder() {
        lock.release();
    }

    @Actor
    public void waiter(ZZ_Result r) {
        r.r1 = lock.acquire(true, TIMEOUT_SECONDS);
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        r.r2 = lock.locked();
    }
}
