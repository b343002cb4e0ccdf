package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jrnn.tck.GradientChecker;
import org.junit.jupiter.api.Test;

/** The checker itself: right gradients pass, wrong ones fail and are located. */
class GradientCheckerTest {
    private static double f(double[] p) {
        return Math.sin(p[0]) * p[1] + p[1] * p[1] * p[2];
    }

    @Test
    void acceptsTheTrueGradientAndRejectsAWrongCoordinate() {
        double[] p = {0.3, -1.2, 2.0};
        double[] right = {Math.cos(p[0]) * p[1], Math.sin(p[0]) + 2 * p[1] * p[2], p[1] * p[1]};
        List<GradientChecker.Block> blocks = List.of(new GradientChecker.Block("a", 0, 1),
                new GradientChecker.Block("b", 1, 2));
        assertTrue(GradientChecker.check(GradientCheckerTest::f, p, right, blocks).passed());
        double[] wrong = right.clone();
        wrong[2] = -wrong[2];
        GradientChecker.Report report = GradientChecker.check(GradientCheckerTest::f, p, wrong, blocks);
        assertFalse(report.passed());
        assertEquals(1, report.mismatches().size());
        assertEquals("b", report.mismatches().get(0).name());
        assertEquals(1, report.mismatches().get(0).index());
        assertThrows(AssertionError.class, () -> GradientChecker.assertPassed("f", report));
        double[] nan = right.clone();
        nan[0] = Double.NaN;
        assertFalse(GradientChecker.check(GradientCheckerTest::f, p, nan, blocks).passed(), "NaN must not pass");
    }
}
