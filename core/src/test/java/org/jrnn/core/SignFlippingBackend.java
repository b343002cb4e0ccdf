package org.jrnn.core;

import org.jrnn.spi.Backend;

/**
 * A deliberately wrong backend for testing the gradient check: one gate backward method negates the first
 * {@code hidden} columns of its gate-gradient output (the LSTM input gate, the GRU reset gate, the RNN
 * pre-activation).
 */
final class SignFlippingBackend {
    private SignFlippingBackend() {
    }

    static Backend flipFirstBlock(Backend base, String method) {
        return InterceptedBackend.gates(base, (name, args) -> {
            if (name.equals(method)) {
                negateFirstBlock(name, args);
            }
        });
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
