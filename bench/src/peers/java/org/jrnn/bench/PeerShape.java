package org.jrnn.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The parameters every peer benchmark shares with jrnn's: hidden size (input = hidden), batch, the peer's
 * intra-op threads, and T = 100 for sequences.
 */
@State(Scope.Thread)
public abstract class PeerShape {
    static final int TIME = 100;

    @Param({"64", "128", "256", "512", "1024"})
    public int hidden;

    @Param({"1", "64"})
    public int batch;

    @Param({"1"})
    public int threads;
}
