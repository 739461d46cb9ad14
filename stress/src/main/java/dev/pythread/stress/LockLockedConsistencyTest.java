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
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/**
 * {@link Lock#locked()} consistency: a thread that knows the holder is inside its critical section never sees
 * {@code locked() == false}, and after the holder's {@code release} everybody sees {@code false}.
 *
 * <p>Python: thread A does {@code lock.acquire(); inside = True}, waits until thread B has looked, then
 * {@code lock.release()}; thread B reads {@code inside}, then {@code lock.locked()}, then tells A it has looked.
 * If B saw {@code inside}, A was inside for the whole of B's look, so {@code locked()} must be {@code True}. If
 * B did not, A may or may not have taken the lock yet, so either answer is right. The flags are volatile; the
 * handshake makes "the holder is inside" a fact, not a timing guess.
 *
 * <p>Result: {@code r1} — B saw {@code inside}; {@code r2} — B's {@code locked()}; {@code r3} — {@code locked()}
 * after both actors (A has released: {@code false}).
 */
@JCStressTest
@Description("An observer that saw the holder inside (the holder waits for it) must see locked() == true.")
@Outcome(id = "true, true, false", expect = ACCEPTABLE, desc = "saw the holder inside, and locked()")
@Outcome(id = "false, true, false", expect = ACCEPTABLE, desc = "looked after the acquire, before the flag: locked()")
@Outcome(id = "false, false, false", expect = ACCEPTABLE, desc = "looked before the holder's acquire: not locked()")
@Outcome(id = "true, false, false", expect = FORBIDDEN, desc = "holder provably inside, yet locked() was false")
@Outcome(id = ".*, .*, true", expect = FORBIDDEN, desc = "still locked() after the holder released")
@State
public class LockLockedConsistencyTest {

    private final Lock lock = new Lock();
    private volatile boolean inside;
    private volatile boolean looked;

    @Actor
    public void holder() {
        lock.acquire();
        inside = true;
        while (!looked) {
            Thread.onSpinWait();
        }
        lock.release();
    }

    @Actor
    public void observer(ZZZ_Result r) {
        r.r1 = inside;
        r.r2 = lock.locked();
        looked = true;
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r3 = lock.locked();
    }
}
