package org.jrnn.bench;

/** One streaming RNN step; see {@link CellStepBenchmark}. */
public class RnnStepBenchmark extends CellStepBenchmark {
    @Override
    protected String cell() {
        return "rnn";
    }
}
