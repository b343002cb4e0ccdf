package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.jrnn.tck.GradientChecker;
import org.jrnn.tck.ReferenceCells.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation through time of every cell, on every backend present, against central differences of the
 * double-precision reference cells: gradients of all parameters, the inputs and the initial states, with and
 * without per-sequence lengths, for T = 1 and batch = 1 too, with the loss Σ rᵢ·yᵢ (random rᵢ) over the
 * outputs and the final states.
 */
class LayerGradientProperties {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {{1, 1}, {1, 4}, {3, 1}, {3, 5}};
        long seed = 100;
        for (Backend backend : Backends.available()) {
            for (Kind kind : Kind.values()) {
                for (int[] shape : shapes) {
                    for (boolean lengths : new boolean[] {false, true}) {
                        if (lengths && shape[1] == 1) {
                            continue;
                        }
                        for (OutputMode mode : OutputMode.values()) {
                            cases.add(Arguments.of(backend.name(), kind, shape[0], shape[1], lengths, mode, seed++));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} batch={2} time={3} lengths={4} {5}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(String backend, Kind kind, int batch, int time, boolean lengths,
                                          OutputMode mode, long seed) {
        Harness.Problem problem = new Harness.Problem(kind, Backends.get(backend), 3, 4, batch, time, lengths, mode,
                seed);
        GradientChecker.assertPassed(problem.toString(), problem.check());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenKinds")
    void checkerCatchesASignFlipInOneGatesBackward(Kind kind, String method) {
        Backend broken = SignFlippingBackend.flipFirstBlock(Backends.get("scalar"), method);
        Harness.Problem problem = new Harness.Problem(kind, broken, 3, 4, 2, 3, true, OutputMode.SEQUENCE, 7);
        GradientChecker.Report report = problem.check();
        assertFalse(report.passed(), "a sign flip in " + method + " went unnoticed: " + report);
    }

    static Stream<Arguments> brokenKinds() {
        return Stream.of(Arguments.of(Kind.LSTM, "lstmBackward"), Arguments.of(Kind.GRU, "gruBackward"),
                Arguments.of(Kind.GRU_RESET_BEFORE, "gruResetBackward"),
                Arguments.of(Kind.RNN_TANH, "rnnBackward"));
    }
}
