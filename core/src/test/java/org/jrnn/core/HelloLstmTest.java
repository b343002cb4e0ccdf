package org.jrnn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jrnn.core.examples.HelloLstm;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole stack learns: an LSTM trained on "hello" predicts each next character. */
class HelloLstmTest {
    static java.util.stream.Stream<String> backends() {
        return Backends.available().stream().map(Backend::name);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void lstmLearnsToContinueHello(String backend) {
        HelloLstm.Result r = HelloLstm.train(Backends.get(backend), 42, 200);
        assertEquals("ello", r.predicted(), "predictions after training: " + r);
        assertTrue(r.lastLoss() < 0.05 && r.firstLoss() > 1.0, "loss should fall from about ln 4: " + r);
    }
}
