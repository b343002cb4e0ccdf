package org.jrnn.bench;

/** {@link LstmSequenceBenchmark}'s workloads for a GRU layer (PyTorch's form, reset gate after the product). */
public class GruSequenceBenchmark extends LstmSequenceBenchmark {
    @Override
    String cell() {
        return "gru";
    }
}
