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
 * A non-blocking {@link Lock#acquire(boolean) acquire(false)} that races the holder's {@link Lock#release()}:
 * the attempt either gets the lock or does not, and what it returns is the lock's state afterwards.
 *
 * <p>Python: with {@code lock} held by thread A, thread A's {@code lock.release()} racing thread B's
 * {@code lock.acquire(False)} leaves {@code lock.locked()} equal to what {@code acquire(False)} returned —
 * {@code True} and locked (B came after the release and holds the lock), or {@code False} and unlocked (B came
 * before it). Never "got it" with the lock free, nor "did not get it" with the lock taken.
 *
 * <p>Result: {@code r1} — what {@code acquire(false)} returned; {@code r2} — {@code locked()} after both actors.
 */
@JCStressTest
@Description("The holder releases while another thread calls acquire(false); the return value must agree with locked().")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "tried after the release: got the lock, which is held")
@Outcome(id = "false, false", expect = ACCEPTABLE, desc = "tried before the release: did not get it, lock is free")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "acquire(false) said yes but nobody holds the lock")
@Outcome(id = "false, true", expect = FORBIDDEN, desc = "acquire(false) said no but the lock stayed taken")
@State
public class LockTryAcquireReleaseTest {

    private final Lock lock = new Lock();

    public LockTryAcquireReleaseTest() {
        lock.acquire(); // held by the "holder" actor from the start
    }

    @Actor
    public void holder() {
        lock.release();
    }

    @Actor
    public void trier(ZZ_Result r) {
        r.r1 = lock.acquire(false);
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        r.r2 = lock.locked();
    }
}
