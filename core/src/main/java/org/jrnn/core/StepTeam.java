package org.jrnn.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team that runs one task on every member per round: the calling thread is member 0, daemon
 * threads are the others. A round ends when every member has finished (the barrier), so a layer runs one
 * round per time step. Nothing is allocated per round. Members spin briefly between rounds (a time step
 * takes microseconds) and then park.
 *
 * <p>Each member's share of a round is taken once, by the member or by the caller: the caller, done with its own
 * share, runs the shares that no member has started yet. A round that finds a member parked (the team was idle)
 * thus does not wait for it to run again, which on a virtual machine can take milliseconds; the member, awake
 * again, joins the rounds that follow. A task therefore must not wait for another member within a round unless
 * the one it waits for can finish alone, and must depend on its member index only, not on the thread.
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
    /** For each member but the caller, the last round whose share was taken (by the member or the caller). */
    private final AtomicIntegerArray taken;
    private volatile int round;
    private volatile boolean closed;
    private volatile Task task;
    private volatile Throwable failure;

    StepTeam(int members, String name) {
        this(members, name, true);
    }

    /** A team whose threads start only if {@code start}: unstarted, the caller runs every share (tests). */
    StepTeam(int members, String name, boolean start) {
        if (members < 2) {
            throw new IllegalArgumentException("a team needs at least 2 members, found " + members);
        }
        threads = new Thread[members - 1];
        taken = new AtomicIntegerArray(members - 1);
        for (int i = 0; i < threads.length; i++) {
            int member = i + 1;
            threads[i] = Thread.ofPlatform().daemon().name(name + "-" + member).unstarted(() -> work(member));
            if (start) {
                threads[i].start();
            }
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
        int current = round + 1;
        round = current;
        wake();
        Throwable own = null;
        try {
            task.run(0);
        } catch (RuntimeException | Error e) {
            own = e;
        }
        // the shares nobody has started: run here rather than wait for their members to wake
        for (int m = 1; m < members(); m++) {
            if (take(m, current)) {
                try {
                    task.run(m);
                } catch (RuntimeException | Error e) {
                    if (own == null) {
                        own = e;
                    }
                }
                finished.incrementAndGet();
            }
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

    /**
     * Takes {@code member}'s share of round {@code current} for the calling thread: whether it was not taken
     * yet. Rounds are compared by their difference, so that the count may wrap around.
     */
    private boolean take(int member, int current) {
        int last = taken.get(member - 1);
        return current - last > 0 && taken.compareAndSet(member - 1, last, current);
    }

    private void work(int member) {
        int seen = 0;
        // whether the caller ran this member's last share: the member was late, and may be queued on the
        // caller's CPU (this VM often wakes a thread there), so it waits for the next round yielding its CPU
        // rather than spinning on it. In a harness whose caller slept 5 ms before each burst of rounds of two
        // 5 µs shares, the rounds of most bursts took 16-23 µs with the late member spinning, slower than the
        // caller alone (10.5), and 10.5-12 with it yielding. Its SPINS yields take 11-13 ms here (the spins
        // 0.5 ms), so a late member stays awake that long before it parks, across short idle spells: with
        // 1,000 yields instead (about the spins' time) it parked between bursts 5 ms apart and the caller ran
        // them alone (median 10.7 µs per round), where 20,000 let it join (6.3).
        boolean behind = false;
        while (true) {
            int spins = 0;
            while (round == seen && !closed) {
                if (++spins < SPINS) {
                    if (behind) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
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
            behind = !take(member, seen);
            if (behind) {
                continue; // the caller ran this share
            }
            try {
                task.run(member);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            finished.incrementAndGet();
        }
    }
}
