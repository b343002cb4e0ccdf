package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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

    @Test
    void theCallerRunsTheSharesNoMemberHasStarted() {
        // members that never run (as a parked thread that does not come back): every round still ends, each
        // share run once, on the caller
        StepTeam team = new StepTeam(3, "test", false);
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        AtomicIntegerArray elsewhere = new AtomicIntegerArray(3);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Thread caller = Thread.currentThread(); // the timeout runs this on a thread of its own
            for (int round = 0; round < 5; round++) {
                team.run(m -> {
                    runs.incrementAndGet(m);
                    if (Thread.currentThread() != caller) {
                        elsewhere.incrementAndGet(m);
                    }
                });
            }
        });
        for (int m = 0; m < 3; m++) {
            assertEquals(5, runs.get(m), "rounds run for member " + m);
            assertEquals(0, elsewhere.get(m), "shares of member " + m + " run off the caller");
        }
        RuntimeException failure = new IllegalStateException("share 2");
        assertEquals(failure, assertThrows(IllegalStateException.class, () -> team.run(m -> {
            if (m == 2) {
                throw failure;
            }
        })), "a failure in a share the caller took is rethrown");
        team.close();
    }

    @Test
    void eachShareRunsOncePerRoundWhoeverTakesIt() {
        // members that park between bursts of rounds are sometimes overtaken by the caller, sometimes not;
        // either way each share runs exactly once per round
        StepTeam team = new StepTeam(2, "test");
        try {
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            int rounds = 0;
            for (int burst = 0; burst < 4; burst++) {
                assertTrue(eventually(() -> !team.awake()), "idle members park after their spins");
                for (int i = 0; i < 500; i++) {
                    team.run(runs::incrementAndGet);
                    rounds++;
                }
            }
            for (int m = 0; m < 2; m++) {
                assertEquals(rounds, runs.get(m), "rounds run for member " + m);
            }
        } finally {
            team.close();
        }
    }
}
