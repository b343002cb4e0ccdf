package org.jrnn.bench;

/** ONNX Runtime's one-node LSTM on jrnn's LSTM workloads (see {@link OnnxRuntimeBenchmark}). */
public class OnnxRuntimeLstmBenchmark extends OnnxRuntimeBenchmark {
    @Override
    OnnxRecurrentModel.Cell cell() {
        return OnnxRecurrentModel.Cell.LSTM;
    }
}
