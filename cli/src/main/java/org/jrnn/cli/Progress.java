package org.jrnn.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress: on a terminal, one line redrawn in place (a bar, the loss, tokens per second and the time
 * left); otherwise plain log lines at most every {@code interval} seconds, so that logs stay clean.
 */
final class Progress {
    private static final int BAR = 24;
    private final PrintWriter out;
    private final boolean terminal;
    private final double interval;
    private long lastLog = Long.MIN_VALUE;
    private int drawn;

    Progress(PrintWriter out, boolean terminal, double intervalSeconds) {
        this.out = out;
        this.terminal = terminal;
        this.interval = intervalSeconds;
    }

    /** Whether standard output is an interactive terminal. */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    /**
     * Reports the state of training.
     *
     * @param fraction    how much of the budget is spent, in [0, 1]
     * @param secondsLeft estimated time left, or NaN
     */
    void update(int epoch, long step, double fraction, double loss, double tokensPerSecond, double secondsLeft,
                String unit) {
        if (terminal) {
            int filled = (int) Math.round(Math.min(1, Math.max(0, fraction)) * BAR);
            String line = String.format(Locale.ROOT, "epoch %d  step %d  [%s%s] %3.0f%%  loss %.3f  %s %ss/s  %s left",
                    epoch, step, "=".repeat(filled), " ".repeat(BAR - filled), 100 * fraction, loss,
                    rate(tokensPerSecond), unit, clock(secondsLeft));
            out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            drawn = line.length();
            out.flush();
            return;
        }
        long now = System.nanoTime();
        if (lastLog != Long.MIN_VALUE && (now - lastLog) / 1e9 < interval) {
            return;
        }
        lastLog = now;
        out.println(String.format(Locale.ROOT, "epoch %d step %d (%.0f%%): loss %.4f, %s %ss/s, %s left", epoch, step,
                100 * fraction, loss, rate(tokensPerSecond), unit, clock(secondsLeft)));
        out.flush();
    }

    /** Prints a line that stays (clearing the bar on a terminal). */
    void line(String text) {
        if (terminal && drawn > 0) {
            out.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
        }
        out.println(text);
        out.flush();
    }

    static String rate(double perSecond) {
        if (!Double.isFinite(perSecond)) {
            return "-";
        }
        return perSecond >= 1e4 ? String.format(Locale.ROOT, "%.1fk", perSecond / 1e3)
                : String.format(Locale.ROOT, "%.0f", perSecond);
    }

    static String clock(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "-:--";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
