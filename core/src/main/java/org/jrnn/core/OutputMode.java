package org.jrnn.core;

/** What a recurrent layer returns as its output. */
public enum OutputMode {
    /** The hidden state of every step: {@code [batch][time][hidden]}, zero at steps past a sequence's length. */
    SEQUENCE,
    /** Only the hidden state at each sequence's last valid step: {@code [batch][hidden]}. */
    LAST
}
