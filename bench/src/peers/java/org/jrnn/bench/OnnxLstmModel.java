package org.jrnn.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.google.protobuf.CodedOutputStream;

/**
 * A one-node ONNX model: an {@code LSTM} operator (opset 14) with the given weights as initializers, inputs
 * {@code X [seq, batch, input]}, {@code initial_h} and {@code initial_c} {@code [1, batch, hidden]}, outputs
 * {@code Y}, {@code Y_h}, {@code Y_c}. The ONNX format is protobuf; the messages are encoded with protobuf-java's
 * {@link CodedOutputStream} from the field numbers of onnx.proto. jrnn's (PyTorch's) gate order i, f, g, o is
 * converted to ONNX's i, o, f, c.
 */
final class OnnxLstmModel {
    /** jrnn gate block feeding ONNX's block k: i←i, o←o, f←f, c←g. */
    private static final int[] FROM_JRNN = {0, 3, 1, 2};

    private OnnxLstmModel() {
    }

    /**
     * @param wIh {@code [4H][X]} jrnn/PyTorch order; {@code wHh [4H][H]}; {@code bIh}, {@code bHh} {@code [4H]}
     */
    static byte[] build(int input, int hidden, int seq, int batch, float[] wIh, float[] wHh, float[] bIh, float[] bHh) {
        byte[] w = tensor("W", new long[] {1, 4L * hidden, input}, permuteRows(wIh, hidden, input));
        byte[] r = tensor("R", new long[] {1, 4L * hidden, hidden}, permuteRows(wHh, hidden, hidden));
        float[] b = new float[8 * hidden];
        System.arraycopy(permuteRows(bIh, hidden, 1), 0, b, 0, 4 * hidden);
        System.arraycopy(permuteRows(bHh, hidden, 1), 0, b, 4 * hidden, 4 * hidden);
        byte[] bias = tensor("B", new long[] {1, 8L * hidden}, b);
        byte[] node = message(out -> {
            for (String in : new String[] {"X", "W", "R", "B", "", "initial_h", "initial_c"}) {
                out.writeString(1, in);
            }
            for (String o : new String[] {"Y", "Y_h", "Y_c"}) {
                out.writeString(2, o);
            }
            out.writeString(3, "lstm");
            out.writeString(4, "LSTM");
            out.writeByteArray(5, message(a -> {
                a.writeString(1, "hidden_size");
                a.writeInt64(3, hidden);
                a.writeInt32(20, 2); // AttributeType INT
            }));
        });
        byte[] graph = message(g -> {
            g.writeByteArray(1, node);
            g.writeString(2, "jrnn-lstm");
            g.writeByteArray(5, w);
            g.writeByteArray(5, r);
            g.writeByteArray(5, bias);
            g.writeByteArray(11, valueInfo("X", seq, batch, input));
            g.writeByteArray(11, valueInfo("initial_h", 1, batch, hidden));
            g.writeByteArray(11, valueInfo("initial_c", 1, batch, hidden));
            g.writeByteArray(12, valueInfo("Y", seq, 1, batch, hidden));
            g.writeByteArray(12, valueInfo("Y_h", 1, batch, hidden));
            g.writeByteArray(12, valueInfo("Y_c", 1, batch, hidden));
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

    private static float[] permuteRows(float[] a, int hidden, int cols) {
        float[] out = new float[a.length];
        for (int k = 0; k < 4; k++) {
            System.arraycopy(a, FROM_JRNN[k] * hidden * cols, out, k * hidden * cols, hidden * cols);
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
