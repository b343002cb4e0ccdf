package org.jrnn.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.CodedOutputStream;

/**
 * A one-node ONNX model (opset 14) holding an {@code LSTM} or {@code GRU} operator with the given weights as
 * initializers: inputs {@code X [seq, batch, input]} and {@code initial_h [1, batch, hidden]} (and, for the
 * LSTM, {@code initial_c}); outputs {@code Y}, {@code Y_h} (and {@code Y_c}). The ONNX format is protobuf; the
 * messages are encoded with protobuf-java's {@link CodedOutputStream} from the field numbers of onnx.proto.
 * jrnn's (PyTorch's) gate blocks are reordered to ONNX's: LSTM i, f, g, o to i, o, f, c; GRU r, z, n to z, r, h,
 * with {@code linear_before_reset = 1} (the reset gate applied after the recurrent product, as jrnn's
 * {@code RESET_AFTER} and PyTorch do).
 */
final class OnnxRecurrentModel {
    /** The operator and, per ONNX gate block k, the jrnn gate block that feeds it. */
    enum Cell {
        LSTM(new int[] {0, 3, 1, 2}, List.of("initial_h", "initial_c"), List.of("Y_h", "Y_c")),
        GRU(new int[] {1, 0, 2}, List.of("initial_h"), List.of("Y_h"));

        private final int[] fromJrnn;
        /** The state inputs, in the order of the state outputs. */
        final List<String> states;
        final List<String> stateOutputs;

        Cell(int[] fromJrnn, List<String> states, List<String> stateOutputs) {
            this.fromJrnn = fromJrnn;
            this.states = states;
            this.stateOutputs = stateOutputs;
        }

        int gates() {
            return fromJrnn.length;
        }
    }

    private OnnxRecurrentModel() {
    }

    /**
     * @param wIh {@code [G·H][X]} in jrnn's gate order; {@code wHh [G·H][H]}; {@code bIh}, {@code bHh}
     *            {@code [G·H]}, where G is the cell's number of gate blocks
     */
    static byte[] build(Cell cell, int input, int hidden, int seq, int batch, float[] wIh, float[] wHh, float[] bIh,
            float[] bHh) {
        int g = cell.gates();
        byte[] w = tensor("W", new long[] {1, (long) g * hidden, input}, permuteRows(cell, wIh, hidden, input));
        byte[] r = tensor("R", new long[] {1, (long) g * hidden, hidden}, permuteRows(cell, wHh, hidden, hidden));
        float[] b = new float[2 * g * hidden];
        System.arraycopy(permuteRows(cell, bIh, hidden, 1), 0, b, 0, g * hidden);
        System.arraycopy(permuteRows(cell, bHh, hidden, 1), 0, b, g * hidden, g * hidden);
        byte[] bias = tensor("B", new long[] {1, 2L * g * hidden}, b);
        List<String> inputs = new ArrayList<>(List.of("X", "W", "R", "B", "")); // "": no sequence_lens
        inputs.addAll(cell.states);
        List<String> outputs = new ArrayList<>(List.of("Y"));
        outputs.addAll(cell.stateOutputs);
        byte[] node = message(out -> {
            for (String in : inputs) {
                out.writeString(1, in);
            }
            for (String o : outputs) {
                out.writeString(2, o);
            }
            out.writeString(3, cell.name().toLowerCase(java.util.Locale.ROOT));
            out.writeString(4, cell.name());
            out.writeByteArray(5, intAttribute("hidden_size", hidden));
            if (cell == Cell.GRU) {
                out.writeByteArray(5, intAttribute("linear_before_reset", 1));
            }
        });
        byte[] graph = message(gr -> {
            gr.writeByteArray(1, node);
            gr.writeString(2, "jrnn-" + cell.name().toLowerCase(java.util.Locale.ROOT));
            gr.writeByteArray(5, w);
            gr.writeByteArray(5, r);
            gr.writeByteArray(5, bias);
            gr.writeByteArray(11, valueInfo("X", seq, batch, input));
            for (String state : cell.states) {
                gr.writeByteArray(11, valueInfo(state, 1, batch, hidden));
            }
            gr.writeByteArray(12, valueInfo("Y", seq, 1, batch, hidden));
            for (String state : cell.stateOutputs) {
                gr.writeByteArray(12, valueInfo(state, 1, batch, hidden));
            }
        });
        return message(m -> {
            m.writeInt64(1, 8); // IR version 8
            m.writeString(2, "jrnn-bench");
            m.writeByteArray(7, graph);
            m.writeByteArray(8, message(o -> {
                o.writeString(1, "");
                o.writeInt64(2, 14);
            }));
        });
    }

    private static byte[] intAttribute(String name, long value) {
        return message(a -> {
            a.writeString(1, name);
            a.writeInt64(3, value);
            a.writeInt32(20, 2); // AttributeType INT
        });
    }

    private static float[] permuteRows(Cell cell, float[] a, int hidden, int cols) {
        float[] out = new float[a.length];
        for (int k = 0; k < cell.gates(); k++) {
            System.arraycopy(a, cell.fromJrnn[k] * hidden * cols, out, k * hidden * cols, hidden * cols);
        }
        return out;
    }

    private static byte[] tensor(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return message(t -> {
            for (long d : dims) {
                t.writeInt64(1, d);
            }
            t.writeInt32(2, 1); // FLOAT
            t.writeString(8, name);
            t.writeByteArray(9, raw.array());
        });
    }

    private static byte[] valueInfo(String name, long... dims) {
        byte[] shape = message(s -> {
            for (long d : dims) {
                s.writeByteArray(1, message(dim -> dim.writeInt64(1, d)));
            }
        });
        byte[] tensorType = message(t -> {
            t.writeInt32(1, 1); // FLOAT
            t.writeByteArray(2, shape);
        });
        return message(v -> {
            v.writeString(1, name);
            v.writeByteArray(2, message(type -> type.writeByteArray(1, tensorType)));
        });
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
