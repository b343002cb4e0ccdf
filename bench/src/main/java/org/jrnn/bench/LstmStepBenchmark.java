package org.jrnn.bench;

/** One streaming LSTM step; see {@link CellStepBenchmark}. */
public class LstmStepBenchmark extends CellStepBenchmark {
    @Override
    protected String cell() {
        return "lstm";
    }
}
