package org.jrnn.bench;

/** ONNX Runtime's one-node GRU on jrnn's GRU workloads (see {@link OnnxRuntimeBenchmark}). */
public class OnnxRuntimeGruBenchmark extends OnnxRuntimeBenchmark {
    @Override
    OnnxRecurrentModel.Cell cell() {
        return OnnxRecurrentModel.Cell.GRU;
    }
}
