package org.jrnn.core.examples;

import java.util.List;

import org.jrnn.core.Adam;
import org.jrnn.core.DenseLayer;
import org.jrnn.core.LstmLayer;
import org.jrnn.core.OutputMode;
import org.jrnn.core.RecurrentOutput;
import org.jrnn.core.SoftmaxCrossEntropy;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;

/**
 * The smallest end-to-end example: an LSTM learns to continue "hello" one character at a time
 * (h→e, e→l, l→l, l→o), from one-hot inputs, with softmax cross-entropy and Adam. Run it with
 * {@code mvn -q compile exec:exec -pl core -am}.
 */
public final class HelloLstm {
    /** The vocabulary, in index order. */
    public static final String VOCABULARY = "helo";
    /** The training text: input "hell", target "ello". */
    public static final String TEXT = "hello";

    /** What training produced. */
    public record Result(double firstLoss, double lastLoss, String predicted) {
    }

    private HelloLstm() {
    }

    /** Trains from a seed for a number of steps and returns the loss before and after and the predictions. */
    public static Result train(Backend backend, long seed, int steps) {
        int vocab = VOCABULARY.length();
        int time = TEXT.length() - 1;
        int hidden = 16;
        float[] x = new float[time * vocab];
        int[] targets = new int[time];
        for (int t = 0; t < time; t++) {
            x[t * vocab + VOCABULARY.indexOf(TEXT.charAt(t))] = 1f;
            targets[t] = VOCABULARY.indexOf(TEXT.charAt(t + 1));
        }
        LstmLayer lstm = new LstmLayer(backend, vocab, hidden, OutputMode.SEQUENCE).initialize(seed);
        DenseLayer dense = new DenseLayer(backend, hidden, vocab).initialize(seed + 1);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(backend);
        Adam adam = new Adam(backend, 0.05f);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < steps; step++) {
            RecurrentOutput out = lstm.forward(x, 1, time, null, null, null);
            float[] logits = dense.forward(out.output(), time);
            last = loss.forward(logits, time, vocab, targets);
            if (step == 0) {
                first = last;
            }
            lstm.parameters().zeroGradients();
            dense.parameters().zeroGradients();
            float[] dOut = dense.backward(loss.gradient());
            lstm.backward(dOut, null, null);
            adam.step(List.of(lstm.parameters(), dense.parameters()));
        }
        RecurrentOutput out = lstm.forward(x, 1, time, null, null, null);
        float[] logits = dense.forward(out.output(), time);
        StringBuilder predicted = new StringBuilder();
        for (int t = 0; t < time; t++) {
            int best = 0;
            for (int c = 1; c < vocab; c++) {
                if (logits[t * vocab + c] > logits[t * vocab + best]) {
                    best = c;
                }
            }
            predicted.append(VOCABULARY.charAt(best));
        }
        return new Result(first, last, predicted.toString());
    }

    public static void main(String[] args) {
        Backend backend = Backends.get();
        long start = System.nanoTime();
        Result r = train(backend, 42, 200);
        System.out.printf("backend %s%n", backend.capabilities().describe());
        System.out.printf("trained an LSTM on \"%s\" for 200 steps in %.0f ms%n", TEXT, (System.nanoTime() - start) / 1e6);
        System.out.printf("loss %.4f -> %.6f nats%n", r.firstLoss(), r.lastLoss());
        System.out.printf("input \"%s\" -> predicted next characters \"%s\" (expected \"%s\")%n",
                TEXT.substring(0, TEXT.length() - 1), r.predicted(), TEXT.substring(1));
    }
}
