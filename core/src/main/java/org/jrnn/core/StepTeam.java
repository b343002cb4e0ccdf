package org.jrnn.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team that runs one task on every member per round: the calling thread is member 0, daemon
 * threads are the others. A round ends when every member has finished (the barrier), so a layer runs one
 * round per time step. Nothing is allocated per round. Members spin briefly between rounds (a time step
 * takes microseconds) and then park.
 */
final class StepTeam {
    /** The work of one member in one round. */
    interface Task {
        void run(int member);
    }

    /** Spins before parking: about the time of a short time step. */
    private static final int SPINS = 20_000;

    private final Thread[] threads;
    private final AtomicInteger finished = new AtomicInteger();
    /** Members parked (or about to park) for want of a round. */
    private final AtomicInteger parked = new AtomicInteger();
    private volatile int round;
    private volatile boolean closed;
    private volatile Task task;
    private volatile Throwable failure;

    StepTeam(int members, String name) {
        if (members < 2) {
            throw new IllegalArgumentException("a team needs at least 2 members, found " + members);
        }
        threads = new Thread[members - 1];
        for (int i = 0; i < threads.length; i++) {
            int member = i + 1;
            threads[i] = Thread.ofPlatform().daemon().name(name + "-" + member).unstarted(() -> work(member));
            threads[i].start();
        }
    }

    int members() {
        return threads.length + 1;
    }

    /**
     * Whether no member is parked: each is spinning for the next round (or running one), so a round starts on
     * all of them at once. A parked thread on this virtual machine took from tens of microseconds (median 29
     * after 5 ms idle) to milliseconds to run again.
     */
    boolean awake() {
        return parked.get() == 0;
    }

    /**
     * Unparks every member: to see a new round or the close, or, called alone, to spin for a while again
     * without a round.
     */
    void wake() {
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }

    /** Runs {@code task} on every member and returns when all have finished; rethrows a member's failure. */
    void run(Task task) {
        this.task = task;
        finished.set(0);
        round = round + 1;
        wake();
        Throwable own = null;
        try {
            task.run(0);
        } catch (RuntimeException | Error e) {
            own = e;
        }
        int spins = 0;
        while (finished.get() < threads.length) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable other = failure;
        failure = null;
        Throwable thrown = own != null ? own : other;
        if (thrown instanceof RuntimeException e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
    }

    /** Stops the threads once their current round is over. */
    void close() {
        closed = true;
        wake();
    }

    private void work(int member) {
        int seen = 0;
        while (true) {
            int spins = 0;
            while (round == seen && !closed) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    parked.incrementAndGet();
                    LockSupport.park(this);
                    parked.decrementAndGet();
                    spins = 0;
                }
            }
            if (closed) {
                return;
            }
            seen = round;
            try {
                task.run(member);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            finished.incrementAndGet();
        }
    }
}
