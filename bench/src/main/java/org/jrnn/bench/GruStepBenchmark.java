package org.jrnn.bench;

/** One streaming GRU step; see {@link CellStepBenchmark}. */
public class GruStepBenchmark extends CellStepBenchmark {
    @Override
    protected String cell() {
        return "gru";
    }
}
