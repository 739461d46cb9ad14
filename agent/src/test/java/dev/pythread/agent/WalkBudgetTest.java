package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link WalkBudget}: a burst at once, then the rate, on a clock the test moves. */
class WalkBudgetTest {

    private long now = 1_000_000_000L;

    @Test
    void aBurstAtOnceThenOneWalkPerInterval() {
        WalkBudget budget = new WalkBudget(100, 5, () -> now); // one walk per 10 ms, five at once
        assertEquals(5, takeAll(budget), "the burst");
        now += 9_999_999;
        assertFalse(budget.tryTake(), "not a whole interval later");
        now += 1;
        assertTrue(budget.tryTake(), "an interval later");
        assertFalse(budget.tryTake());
    }

    @Test
    void aQuietTimeRefillsTheBurstButNoMore() {
        WalkBudget budget = new WalkBudget(100, 5, () -> now);
        takeAll(budget);
        now += 3_600_000_000_000L; // an hour
        assertEquals(5, takeAll(budget));
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        WalkBudget budget = new WalkBudget(WalkBudget.PER_SECOND, WalkBudget.BURST, () -> now);
        assertEquals(WalkBudget.BURST, takeAll(budget));
        now += 1_000_000_000L;
        assertEquals(WalkBudget.PER_SECOND, takeAll(budget), "a second later");
    }

    private static int takeAll(WalkBudget budget) {
        int taken = 0;
        while (budget.tryTake()) {
            taken++;
        }
        return taken;
    }
}
