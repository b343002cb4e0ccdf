package org.jrnn.spi;

/** The nonlinearity of a simple RNN: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}. */
public enum RnnActivation {
    /** {@code tanh}; derivative {@code 1 - y²}. */
    TANH,
    /** {@code max(0, x)}; derivative {@code y > 0 ? 1 : 0}. */
    RELU
}
