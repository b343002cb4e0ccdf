package org.jrnn.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.jrnn.spi.Activations;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Capabilities;
import org.jrnn.spi.Gates;
import org.jrnn.spi.MatrixOps;
import org.jrnn.spi.VectorOps;

/**
 * A deliberately wrong backend for testing the gradient check: one gate backward method negates the first
 * {@code hidden} columns of its gate-gradient output (the LSTM input gate, the GRU reset gate, the RNN
 * pre-activation).
 */
final class SignFlippingBackend {
    private SignFlippingBackend() {
    }

    static Backend flipFirstBlock(Backend base, String method) {
        Gates inner = base.gates();
        Gates flipped = (Gates) Proxy.newProxyInstance(Gates.class.getClassLoader(), new Class<?>[] {Gates.class},
                (proxy, m, args) -> {
                    Object result;
                    try {
                        result = m.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (m.getName().equals(method)) {
                        negateFirstBlock(m.getName(), args);
                    }
                    return result;
                });
        return new Backend() {
            @Override
            public Capabilities capabilities() {
                return base.capabilities();
            }

            @Override
            public MatrixOps matrix() {
                return base.matrix();
            }

            @Override
            public Activations activations() {
                return base.activations();
            }

            @Override
            public Gates gates() {
                return flipped;
            }

            @Override
            public VectorOps vectors() {
                return base.vectors();
            }
        };
    }

    /** Finds the dGates (or dPre) triple in the argument list by the method's documented order. */
    private static void negateFirstBlock(String method, Object[] args) {
        int first = args[0] instanceof org.jrnn.spi.RnnActivation ? 1 : 0;
        int batch = (Integer) args[first];
        int hidden = (Integer) args[first + 1];
        // position of the gradient output triple (array, offset, ld) in each method's parameter list
        int at = switch (method) {
            case "lstmBackward" -> 17;
            case "gruBackward" -> 14;
            case "gruResetBackward" -> 11;
            case "rnnBackward" -> 9;
            default -> throw new IllegalArgumentException(method);
        };
        float[] a = (float[]) args[at];
        int off = (Integer) args[at + 1];
        int ld = (Integer) args[at + 2];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                a[off + b * ld + j] = -a[off + b * ld + j];
            }
        }
    }
}
