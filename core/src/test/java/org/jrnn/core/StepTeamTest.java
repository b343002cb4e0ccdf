package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The team's rounds, and what it says about members that wait for one. */
class StepTeamTest {
    /** Polls {@code condition} without pausing for up to five seconds; whether it came true. */
    static boolean eventually(BooleanSupplier condition) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Test
    void idleMembersParkAndAWakeIsNotARound() {
        StepTeam team = new StepTeam(2, "test");
        try {
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            team.run(runs::incrementAndGet);
            assertTrue(eventually(() -> !team.awake()), "idle members park after their spins");
            // on a virtual machine a parked thread may take milliseconds to come back, so only the rounds are
            // checked after a wake, not when it spins again
            team.wake();
            team.run(runs::incrementAndGet);
            for (int m = 0; m < 2; m++) {
                assertEquals(2, runs.get(m), "rounds run by member " + m + " (a wake is not a round)");
            }
        } finally {
            team.close();
        }
    }
}
