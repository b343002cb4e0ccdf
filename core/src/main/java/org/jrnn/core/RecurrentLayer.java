package org.jrnn.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.jrnn.spi.Backend;
import org.jrnn.spi.Gates;
import org.jrnn.spi.MatrixOps;
import org.jrnn.spi.VectorOps;

/**
 * A recurrent layer over batch-major sequences {@code [batch][time][inputSize]}, with optional per-sequence
 * lengths and initial states, forward and backward through time. Subclasses supply the cell: {@link LstmLayer},
 * {@link GruLayer}, {@link SimpleRnnLayer}.
 *
 * <p>How a pass runs: the batch is reordered by length, longest first, and laid out time-major, so that at
 * step {@code t} the sequences still running are rows {@code [0, active[t])} and every per-step call works on
 * a contiguous prefix (finished sequences cost nothing and keep their state by a block copy). One GEMM
 * projects the inputs of all steps; each step is one recurrent GEMM and one fused gate call. Backward runs the
 * steps in reverse, then forms the weight gradients of all steps with one GEMM each.
 *
 * <p>Parameters use PyTorch's names and layout ({@code weight_ih}, {@code weight_hh}, {@code bias_ih},
 * {@code bias_hh}; see {@link org.jrnn.spi.Layout}). Workspaces are allocated when the batch shape changes and
 * reused otherwise, so the time loop allocates nothing. A layer is not thread-safe.
 */
public abstract class RecurrentLayer {
    /** Parameter names, as in PyTorch's {@code state_dict} (without the layer suffix). */
    public static final String WEIGHT_IH = "weight_ih";
    public static final String WEIGHT_HH = "weight_hh";
    public static final String BIAS_IH = "bias_ih";
    public static final String BIAS_HH = "bias_hh";

    protected final Backend backend;
    protected final MatrixOps matrix;
    protected final Gates gates;
    protected final VectorOps vectors;
    protected final int inputSize;
    protected final int hidden;
    /** Width of a gate row: gate blocks times hidden. */
    protected final int gateWidth;
    protected final Parameters parameters;
    /** Offsets of the four tensors in {@code parameters.values()}. */
    protected final int wIh;
    protected final int wHh;
    protected final int bIh;
    protected final int bHh;
    private final OutputMode outputMode;
    private final int stateCount;
    private boolean checkFinite;

    /** Current workspace shape; 0 before the first forward. */
    protected int batch;
    protected int time;
    /** {@code [T][B][X]} inputs, time-major, rows in length order. */
    protected float[] xs;
    /** The caller's {@code [B][T][X]} inputs while a forward pass runs; null between passes. */
    private float[] passInputs;
    /**
     * Whether the current pass reads the caller's inputs in place instead of gathering them into {@link #xs}:
     * an inference pass whose sequences all run the whole length (so that the rows keep the batch order), and
     * whose projection takes one step's rows at a time (or whose batch is 1, where both layouts are the same).
     * Gathering copies the whole input, which at batch 64, T = 100 is 3.3 MB (H = 128) to 26 MB (H = 1024).
     * Training passes gather, because backward multiplies the time-major rows.
     */
    private boolean directInputs;
    /**
     * Whether the current pass gathers each step's inputs into {@link #xs} in that step, just before projecting
     * them (the projection takes one step's rows at a time and the inputs are not read in place): the rows are
     * then still in cache for the product, and in a pass split by rows each thread gathers its own.
     */
    private boolean gatherPerStep;
    /** {@code [T][B][G*H]} pre-activations in, activations out. */
    protected float[] gateBuffer;
    /** Per state (h, then c for LSTM): {@code [T+1][B][H]}; slot 0 is the initial state. */
    protected float[][] states;
    /** {@code [T][B][G*H]} gradients of the pre-activations (rows of finished sequences stay zero). */
    protected float[] dGates;
    /** Per state: {@code [B][H]} gradient with respect to the state after the current step. */
    protected float[][] dStates;
    private float[] bias;
    private float[] ones;
    private float[] dxs;
    private float[] output;
    private float[] dInput;
    private float[][] finalStates;
    private float[][] dInitialStates;
    /** perm[row] = original batch index of that row; rank is its inverse. */
    private int[] perm;
    private int[] rank;
    private int[] lengthOf;
    private int[] active;
    private boolean forwardDone;
    /** Floats between consecutive steps' gate rows: {@code B·G·H}, or 0 (see {@link #gateOffset}). */
    private int gateStride;
    /** Whether the last pass started keeps what backward needs (false from {@link #infer} on). */
    private boolean keeping = true;
    private int streamBatch;
    /** {@code [B][H]} copy of h that the members of a threaded streaming step read while others write h. */
    private float[] streamH;
    /** Threads of the forward pass and streaming steps; 1 runs everything on the caller. */
    private int threads = defaultThreads();
    private StepTeam team;
    /** Member m owns hidden units {@code [sliceStart[m], sliceStart[m+1])}; their gate columns are contiguous. */
    private int[] sliceStart;
    /** The batch size {@link #sliceStart} was worked out for. */
    private int sliceRows;
    /** Recurrent multiply-adds per member and step below which steps are not split (see {@link #splitting}). */
    static final long MINIMUM_WORK = 1L << 16;
    /** Narrowest slice of hidden units worth a thread (see {@link #splitting}). */
    static final int MINIMUM_SLICE = 64;
    private long minimumWork = MINIMUM_WORK;
    private int minimumSlice = MINIMUM_SLICE;
    /**
     * Fewest batch rows per member for which a long pass is split by rows ({@link #rowSplitting}). Batch 64,
     * T = 100, two threads, one harness run (µs per step; one thread, hidden-unit slices, rows): H = 64 66 / 61 /
     * 35, H = 128 189 / 137 / 106, H = 256 706 / 426 / 372, H = 512 2947 / 1416 / 1515, H = 1024 11117 / 6150 /
     * 5705. Rows need no barrier per step and keep every product at full width; only at H = 512 were slices of
     * units a little faster.
     */
    static final int MINIMUM_ROWS = 16;
    private int minimumRows = MINIMUM_ROWS;
    /**
     * Most weights (floats of W_ih and W_hh together) of a layer whose passes and streaming steps may be split
     * by rows: 16 MB, half of this machine's L3. Split by rows, every member multiplies the whole of both
     * matrices at every step (its rows' projection too, step by step); split by units, each multiplies its
     * slices, and the projection of all steps runs first. Batch 64, T = 100, two threads, one harness run (µs
     * per step; one thread / rows / units). On the Zen 4 machine: LSTM H = 1024 (32 MB) inference 10246 / 5653
     * / 5342, streaming step 10226 / 5546 / 5383; GRU H = 1024 (24 MB) inference 7724 / 4251 / 4178, step 7709 /
     * 4077 / 3869; LSTM H = 512 (8 MB) inference 2578 / 1257 / 1338, step 2504 / 1236 / 1305; training then
     * kept its row split (LSTM H = 1024 forward + backward 31645 / 16743 / 16703, GRU 24844 / 12806 / 13230).
     * On the Zen 5 machine, whose products run 2.3 times as fast while L3 and memory do not, the limit holds for
     * training too: LSTM H = 1024 training forward 4642 / 3191 / 2393, forward + backward 14597 / 8233 / 7600;
     * GRU H = 1024 forward 3410 / 2166 / 1759, forward + backward 10734 / 6145 / 5578; under the limit it
     * changes nothing (LSTM H = 512 forward 1084 / 595 / 596, H = 256 293 / 163 / 168).
     */
    static final long ROW_SPLIT_MAX_WEIGHTS = 1L << 22;
    private long rowSplitMaxWeights = ROW_SPLIT_MAX_WEIGHTS;
    /**
     * Member m of a pass split by rows owns batch rows {@code [rowStart[m], rowStart[m+1])} (in length order);
     * null when the current pass is not split by rows.
     */
    private int[] rowStart;
    /** The hidden-unit slices of the weight-gradient products after a backward pass split by rows. */
    private int[] rowGradientSlices;
    private float[] permuteRow;
    /**
     * Products over at least this many rows ({@code batch · time}: the input projection, the weight gradients)
     * multiply a packed copy of their weights or inputs ({@link MatrixOps#pack}): packing reads and writes the
     * matrix once, which a product of fewer rows does not earn back.
     */
    static final int PACKING_MIN_ROWS = 192;
    /**
     * The input projection of a forward pass packs W_ih from this many rows when the input is at most
     * {@link #SHORT_INPUT} wide: there packing costs 0.3–0.7 ns per weight and the packed product saves
     * about as much over 64 rows (batch 1, T = 100: H = 128 2.1 → 1.5 µs per step with the packing,
     * H = 256 7.1 → 6.3, H = 512 26.0 → 25.7; at H = 1024 the packing would cost 1.2 ns per weight and
     * lose). Repeated inference passes reuse the packing, which then costs nothing.
     */
    static final int PACKING_MIN_ROWS_SHORT_INPUT = 64;
    /** The widest input for {@link #PACKING_MIN_ROWS_SHORT_INPUT}. */
    static final int SHORT_INPUT = 512;
    /**
     * Passes of at least this many steps multiply a packed W_hh at every step, forward and backward, whatever
     * the batch: at batch 1 the packed panels stream at 75–84 GB/s where the weights as they are gave 48–68
     * (forward) and 15–64 (backward, H = 256–1024), and packing costs 3–7 such products.
     */
    static final int PACKING_MIN_STEPS = 16;
    /**
     * Rows of the input projection per block: the block's gate rows (256 KB at G·H = 256) stay in L2 between
     * the bias and the product, instead of a pass over the whole {@code [T·B][G·H]} buffer for each. 256 rather
     * than 128 so that a backend may run its tiles over 256 rows of A per pass over the weights: the SIMD
     * backend does where k ≥ 1024, which made batch-64 inference at H = 1024 1.03x as fast (H = 512 unchanged;
     * in-JVM harness alternating the two builds, both orders, AMD Zen 5).
     */
    private static final int PROJECTION_ROWS = 256;
    /**
     * Forward passes of at least this batch that multiply a packed W_ih project each step's inputs just before
     * its recurrent product, instead of all steps first: the step's gate rows are then still in L2 for the
     * recurrent product and the gate step, where the {@code [T·B][G·H]} buffer written ahead (13 MB at H = 128,
     * batch 64) had to come back from memory. Each step's product reads the whole packed W_ih, which a batch
     * this large pays for, as long as W_ih stays in L2 ({@link #PER_STEP_PROJECTION_WEIGHTS}). Batch 64,
     * T = 100, one harness run: H = 64 65 → 56 µs per step, H = 128 202 → 186, H = 256 696 → 671; no change
     * at H = 512 and 1024, where W_ih is larger than L2. The elements of a packed product do not depend on how
     * its rows are blocked, so the results are the same either way.
     */
    static final int PER_STEP_PROJECTION_BATCH = 32;
    /** Weights of W_ih (floats) up to which {@link #PER_STEP_PROJECTION_BATCH} applies: 1 MB, this machine's L2. */
    static final long PER_STEP_PROJECTION_WEIGHTS = 1 << 18;
    /** null: the thresholds above; TRUE: always pack; FALSE: never (streaming steps too). */
    private Boolean packingForced;
    /** W_ih and W_hh packed for the current forward pass, per member slice and gate block. */
    private final PackedWeights packedIh;
    private final PackedWeights packedHh;
    /** Whether the current forward pass multiplies packed W_ih (the projection) and packed W_hh (the steps). */
    private boolean packInputs;
    private boolean packRecurrent;
    /** Whether the current forward pass projects each step's inputs in its step ({@link #PER_STEP_PROJECTION_BATCH}). */
    private boolean projectPerStep;
    /** Whether it packs them first (they are not packed from the current values yet). */
    private boolean repackInputs;
    private boolean repackRecurrent;
    /**
     * Least multiply-adds of input projection in a forward pass for which a pass that is not split (one slice of
     * units, no row split) runs its steps on the calling thread while the other threads project the inputs of the
     * steps ahead ({@link #PIPELINE_STEPS} at a time): about 10 µs of projection on one thread here, against a
     * round that may have to wake a parked thread.
     */
    static final long PIPELINE_MIN_PROJECTION = 1L << 20;
    private long pipelineMinProjection = PIPELINE_MIN_PROJECTION;
    /** Whether a pass pipelines even when the other threads are parked (tests). */
    private boolean pipelineWhenParked;
    /**
     * A pass that starts within this many nanoseconds of the last one's end, on parked threads, wakes them for
     * the passes that follow (see {@link #helpersAwake}).
     */
    private static final long PIPELINE_WAKE_NANOS = 100_000;
    /** Whether the threads of a new team start ({@link #teamThreadsStart}). */
    private boolean startTeamThreads = true;
    /** {@link System#nanoTime()} at the end of the last forward pass. */
    private long lastPassEnd;
    /** Steps per chunk of a pipelined projection: the first steps wait for one chunk only. */
    static final int PIPELINE_STEPS = 8;
    /** Spins of the stepping member waiting for a chunk before it yields its CPU at every check. */
    private static final int AWAIT_SPINS = 1_000;
    /** Whether the current forward pass projects its inputs on the other threads while the caller steps. */
    private boolean pipelined;
    /** The next chunk of the pipelined projection that no member has claimed. */
    private final AtomicInteger chunkClaim = new AtomicInteger();
    /** For each chunk of the pipelined projection, the {@link #passStamp} of the pass that last projected it. */
    private AtomicIntegerArray chunkDone = new AtomicIntegerArray(0);
    /** Counts pipelined passes, so that {@link #chunkDone} never needs clearing. */
    private int passStamp;
    /** Set by a projecting member that failed, so that the stepping member stops waiting for its chunk. */
    private volatile boolean projectionFailed;
    /** Set when the stepping member of a pipelined pass is done, until which the others keep spinning. */
    private volatile boolean pipelineStepsDone;
    /**
     * The packings of streaming steps, packed on first use and kept until the parameters change: a second copy
     * of the weights, which every step then reads at the packed kernels' speed.
     */
    private final PackedWeights streamIh;
    private final PackedWeights streamHh;
    /** The packings that {@link #addSliceProduct} multiplies during the current call (null: the weights). */
    private PackedWeights productsIh;
    private PackedWeights productsHh;
    /**
     * Whether the current backward pass multiplies packed W_hh at its steps and packed operands in its products
     * over all rows; W_hh packed for the steps, and scratch for the products.
     */
    private boolean packBackwardSteps;
    private boolean packBackwardProducts;
    // The arguments of the current round, read by the member tasks (fields, so a round allocates nothing).
    private int roundTime;
    private int roundRows;
    private float[] roundX;
    private float[] roundHIn;
    private float[] roundH;
    private float[] roundC;
    /**
     * The slices that the last forward pass's gate caches are laid out in, and whether they still are (a
     * threaded forward of a cell that {@linkplain #slicedBackward() backpropagates in slices} leaves them so).
     */
    private int[] cacheSlices;
    private boolean cacheSliced;
    /** {@code [B][G*H]} one step's gate gradients in the sliced layout (threaded backward). */
    private float[] dGatesSlice;
    /**
     * {@code [B][G*H]} one step's gradients of the recurrent products in the sliced layout (threaded backward of
     * a cell whose {@link #recurrentProductGradients()} are not {@link #dGates}); null otherwise.
     */
    private float[] dRecurrentSlice;
    /**
     * W_hh's columns packed for a backward pass's steps, each member's columns (the whole layer on one thread)
     * in parts ({@link PackedWeights#columns}).
     */
    private final PackedWeights columnsHh;
    /** The slices of a backward pass on one thread: the whole layer. */
    private final int[] wholeLayer;
    /** The inputs, recurrent inputs and W_ih packed for a backward pass's products over all rows. */
    private float[] packedXs = new float[0];
    private float[] packedH = new float[0];
    private float[] packedIhBackward = new float[0];
    private float[] roundDOutput;
    /** The slices of the current backward pass: the forward pass's, or {@link #wholeLayer}. */
    private int[] backwardSlices;
    /** The slices of hidden units of the current backward pass's weight-gradient products. */
    private int[] gradientSlices;
    private final StepTeam.Task backwardTask = this::backwardSlice;
    private final StepTeam.Task gradientTask = this::gradientSlice;
    /** The members of the current {@link #packRowProducts} round. */
    private int rowPackingMembers;
    private final StepTeam.Task rowPackingTask = m -> packRowShare(m, rowPackingMembers);
    private final StepTeam.Task projectionTask = this::projectSlice;
    private final StepTeam.Task forwardTask = this::forwardSlice;
    private final StepTeam.Task pipelineTask = this::pipelineMember;
    private final StepTeam.Task rowForwardTask = this::forwardRows;
    private final StepTeam.Task rowBackwardTask = this::backwardRows;
    private final StepTeam.Task streamTask =
            m -> streamSlice(0, roundRows, roundX, roundHIn, roundH, roundC, sliceStart[m], sliceStart[m + 1]);
    private final StepTeam.Task streamRowsTask = this::streamRows;
    /** The rows of each member of a streaming step split by rows, as {@link #rowStart}. */
    private int[] streamRowStart;
    /** Whether the last streaming step was split by rows. */
    private boolean streamByRows;
    /** {@code [B][G*H]} of a streaming step: pre-activations in, activations out. */
    /** Variational recurrent dropout: rate, seed, masks drawn, whether the next forward trains. */
    private float recurrentDropout;
    private long dropoutSeed;
    private long dropoutPasses;
    private boolean frozenMask;
    private boolean maskDrawn;
    private boolean training;
    /** Whether the last forward used the mask. */
    private boolean dropoutActive;
    /** {@code [B][H]} the mask in length order: 0 or 1/(1 − rate). */
    private float[] hMask;
    /** {@code [T][B][H]} h_{t} ⊙ mask, the input of the recurrent products while the mask is on. */
    private float[] hDropped;
    /** {@code [B][H]} gradient with respect to h ⊙ mask at one step. */
    private float[] dhDropped;
    protected float[] streamGates;
    /** {@code [B][G*H]} scratch of a streaming step: tanh(c) for the LSTM, the recurrent product for the GRU. */
    protected float[] streamWork;
    private float[] streamBias;

    protected RecurrentLayer(String name, Backend backend, int inputSize, int hidden, int gateBlocks,
                             int stateCount, OutputMode outputMode) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.outputMode = Objects.requireNonNull(outputMode, "outputMode");
        if (inputSize < 1 || hidden < 1) {
            throw new IllegalArgumentException(name + ": inputSize and hidden must be >= 1, found inputSize="
                    + inputSize + " hidden=" + hidden);
        }
        this.matrix = backend.matrix();
        this.gates = backend.gates();
        this.vectors = backend.vectors();
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.gateWidth = gateBlocks * hidden;
        this.packedIh = new PackedWeights(matrix, hidden, gateBlocks, inputSize);
        this.packedHh = new PackedWeights(matrix, hidden, gateBlocks, hidden);
        this.columnsHh = PackedWeights.columns(matrix, hidden, gateWidth);
        // streaming steps keep whole blocks: see PackedWeights.products
        this.streamIh = new PackedWeights(matrix, hidden, gateBlocks, inputSize, PackedWeights.WHOLE_BLOCKS);
        this.streamHh = new PackedWeights(matrix, hidden, gateBlocks, hidden, PackedWeights.WHOLE_BLOCKS);
        this.wholeLayer = new int[] {0, hidden};
        this.stateCount = stateCount;
        this.parameters = Parameters.builder(name)
                .add(WEIGHT_IH, gateWidth, inputSize)
                .add(WEIGHT_HH, gateWidth, hidden)
                .add(BIAS_IH, 1, gateWidth)
                .add(BIAS_HH, 1, gateWidth)
                .build();
        this.wIh = parameters.tensor(WEIGHT_IH).offset();
        this.wHh = parameters.tensor(WEIGHT_HH).offset();
        this.bIh = parameters.tensor(BIAS_IH).offset();
        this.bHh = parameters.tensor(BIAS_HH).offset();
    }

    /** The layer's parameters and gradients. */
    public Parameters parameters() {
        return parameters;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hidden;
    }

    /** Whether the cell keeps a cell state besides h (the LSTM). */
    public boolean hasCellState() {
        return stateCount > 1;
    }

    public OutputMode outputMode() {
        return outputMode;
    }

    /**
     * When on, {@link #forward} rejects non-finite inputs and initial states with an exception naming the
     * first offending position. Off by default (it reads every input once more).
     */
    public RecurrentLayer checkFinite(boolean on) {
        this.checkFinite = on;
        return this;
    }

    /**
     * Variational dropout on the recurrent connections (Gal and Ghahramani 2016): in training, the hidden state
     * that enters the recurrent products is multiplied by a mask of zeros and {@code 1 / (1 − rate)} drawn once
     * per sequence and pass and kept for every step; the state itself, and the GRU's direct path
     * {@code z·h_{t−1}}, are not masked. Active only in passes after {@link #training(boolean) training(true)};
     * the mask of the n-th training pass is a function of {@code seed} and n. Streaming steps never drop.
     *
     * @param rate in {@code [0, 1)}; 0 turns it off
     */
    public RecurrentLayer recurrentDropout(float rate, long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(parameters.owner() + ": recurrent dropout must be in [0, 1), found "
                    + rate);
        }
        this.recurrentDropout = rate;
        this.dropoutSeed = seed;
        this.maskDrawn = false;
        return this;
    }

    /** The recurrent dropout rate (0: off). */
    public float recurrentDropout() {
        return recurrentDropout;
    }

    /** Whether following forward passes train (recurrent dropout on) or infer (off, the default). */
    public RecurrentLayer training(boolean on) {
        this.training = on;
        return this;
    }

    /** Recurrent dropout masks drawn so far. */
    public long recurrentDropoutPasses() {
        return dropoutPasses;
    }

    /** Continues as if {@code passes} masks had been drawn (after loading a checkpoint). */
    public void resumeRecurrentDropout(long passes) {
        if (passes < 0) {
            throw new IllegalArgumentException(parameters.owner() + ": passes must be >= 0, found " + passes);
        }
        this.dropoutPasses = passes;
    }

    /** When on, training passes reuse the last recurrent mask instead of drawing one (for gradient checks). */
    public RecurrentLayer freezeRecurrentMask(boolean on) {
        this.frozenMask = on;
        return this;
    }

    /**
     * Splits passes and streaming steps across {@code n} threads: the calling thread and {@code n − 1} daemon
     * threads. A pass that multiplies packed weights (at least {@value #PACKING_MIN_STEPS} steps) over a batch of
     * at least {@value #MINIMUM_ROWS} rows per thread splits the batch: each thread runs every step of its
     * sequences, forward and backward, without waiting for the others; so does a streaming step of at least as
     * many streams per thread (each thread steps its streams). Passes and streaming steps are not split by
     * rows when W_ih and W_hh together hold more than 2<sup>22</sup> weights (16 MB; an LSTM of 1024 units has
     * 2<sup>23</sup>), since every thread would then read both whole matrices at every step. Other
     * passes and streaming steps split the hidden units: each thread takes a slice of them together with their
     * rows of every gate (slices of at least 64 units and at least 2<sup>16</sup> multiply-adds of recurrent
     * product per thread and step, so small layers and small batches use fewer threads), with one barrier per
     * time step. A forward pass too small for either split but with at least 2<sup>20</sup> multiply-adds of
     * input projection runs its steps on the calling thread while the other threads project the inputs of the
     * steps ahead, {@value #PIPELINE_STEPS} steps at a time, when those threads are spinning for work (passes in
     * quick succession); after an idle spell such a pass runs on the caller alone. The weight gradients over
     * all steps are split by units. Every element is computed the same way whatever the split, so results are
     * bit-identical for every thread count on the scalar backend, and on the SIMD backend once its kernels are
     * compiled (see its documentation). Worth it for large layers or batches on idle cores; the default is 1, or
     * the system property {@code jrnn.threads}. The GRU in {@link GruLayer.Form#RESET_BEFORE} form runs on the
     * calling thread. The threads are daemons parked between uses; {@link #close()} stops them.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public RecurrentLayer threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(parameters.owner() + ": threads must be >= 1, found " + n);
        }
        close();
        threads = n;
        sliceStart = null;
        return this;
    }

    /**
     * The slices of hidden units per member for batches of {@code rows}, worked out when the batch size changes
     * (the cell is fully built by then): at most {@link #threads()} members, slices of at least
     * {@link #MINIMUM_SLICE} units (multiples of 16) and at least {@link #MINIMUM_WORK} multiply-adds of
     * recurrent product per member and step (see {@link #splitting}).
     */
    private void ensureSlices(int rows) {
        if (sliceStart != null && sliceRows == rows) {
            return;
        }
        long work = (long) gateWidth * hidden * rows;
        int byWork = (int) Math.max(1, Math.min(Integer.MAX_VALUE, work / minimumWork));
        int members = slicedSteps() ? Math.min(Math.min(threads, byWork), Math.max(1, hidden / minimumSlice)) : 1;
        if (sliceStart != null && sliceStart.length == members + 1) {
            sliceRows = rows;
            return;
        }
        sliceStart = unitSlices(members);
        sliceRows = rows;
    }

    /** The starts of {@code members} slices of about equal numbers of hidden units, cut at multiples of 16. */
    private int[] unitSlices(int members) {
        int[] start = new int[members + 1];
        for (int m = 1; m < members; m++) {
            start[m] = (int) Math.round((double) hidden * m / members / 16) * 16;
        }
        start[members] = hidden;
        return start;
    }

    /**
     * Sets the least recurrent multiply-adds per member and step ({@value #MINIMUM_WORK} by default) and the
     * narrowest slice of hidden units ({@value #MINIMUM_SLICE}) for which a step is split across threads. Below
     * them the split costs more than it shares: in bench/compare.sh's run, a batch-64 forward at H = 64 took
     * 207 µs per step on two threads (32-unit slices) against 96 µs on one, while H = 128 in 64-unit slices
     * gained (282 against 329 µs). At 2<sup>16</sup> the layers between it and 2<sup>17</sup> gained on two
     * threads (best of 15 timing rounds, T = 100, 3 runs each): GRU H = 256 batch 1 (98,304 per member)
     * about 1.6× in inference, training and streaming steps (1.1–2.0× per run); LSTM H = 192 batch 1
     * 1.15–1.47×; LSTM H = 128 batch 2 and 3 1.23–1.99×; GRU H = 128 batch 3 and 6 1.25–1.68×; simple RNN
     * H = 384 batch 1 and H = 256 batch 2 1.3–2.0×. Lower thresholds measured faster in such runs (LSTM H = 128
     * batch 1 1.36–1.54×), but not reliably: split in two, LSTM layers of 128 units at batch 1 took 2.7–3.0 or
     * 5.1–6.2 µs per step (4.0–4.2 on one thread), the mode changing over time within one process, not with the
     * layer (new arrays or new threads for a slow layer did not reliably make it fast). Tests lower both to split
     * small layers.
     */
    void splitting(long multiplyAdds, int units) {
        this.minimumWork = Math.max(1, multiplyAdds);
        this.minimumSlice = Math.max(16, units);
        this.sliceStart = null;
    }

    /**
     * Sets the fewest batch rows per member ({@value #MINIMUM_ROWS} by default) for which a long pass is split
     * by rows instead of hidden units; {@code Integer.MAX_VALUE} never splits by rows. For tests and measurements.
     */
    void rowSplitting(int rows) {
        this.minimumRows = Math.max(1, rows);
    }

    /**
     * Sets the most weights ({@value #ROW_SPLIT_MAX_WEIGHTS} by default) for which passes (training or inference)
     * and streaming steps may be split by rows. For tests and measurements.
     */
    void rowSplitWeights(long weights) {
        this.rowSplitMaxWeights = weights;
    }

    /**
     * Sets the least multiply-adds of input projection ({@value #PIPELINE_MIN_PROJECTION} by default) for which a
     * pass that is not split projects on the other threads while the caller steps, and whether it does so even
     * when they are parked (by default not). For tests and measurements.
     */
    void pipelining(long multiplyAdds, boolean whenParked) {
        this.pipelineMinProjection = multiplyAdds;
        this.pipelineWhenParked = whenParked;
    }

    /** Whether the last forward pass projected its inputs on other threads while the caller stepped (tests). */
    boolean pipelinedProjection() {
        return pipelined;
    }

    /**
     * Whether the threads of teams made from now on start (by default they do). Without them the caller runs
     * every member's share of every round, as it does for members that have not started a round yet (tests).
     */
    void teamThreadsStart(boolean start) {
        close();
        startTeamThreads = start;
    }

    /** Whether the layer has threads and none of them is parked (tests). */
    boolean threadsAwake() {
        return team != null && team.awake();
    }

    /**
     * Forces packed weights on ({@code TRUE}) or off ({@code FALSE}, streaming steps too) or leaves the choice to
     * the thresholds ({@code null}, the default): for tests and for measuring packed against unpacked products
     * in one run.
     */
    void packing(Boolean always) {
        this.packingForced = always;
    }

    /**
     * Packs every gate block in parts of at most {@code units} units from now on, instead of
     * {@link PackedWeights#defaultPartUnits} (whole blocks for streaming steps); tests: parts at sizes that run in
     * a moment.
     */
    void packedParts(int units) {
        packedIh.partUnits(units);
        packedHh.partUnits(units);
        columnsHh.partUnits(units);
        streamIh.partUnits(units);
        streamHh.partUnits(units);
    }

    /** Whether a product used {@code uses} times, or over {@code uses} rows, packs at {@code threshold}. */
    private boolean packs(int uses, int threshold) {
        return packingForced != null ? packingForced : uses >= threshold;
    }

    /** Whether the last forward pass read the caller's inputs in place ({@link #directInputs}; tests). */
    boolean readsInputsInPlace() {
        return directInputs;
    }

    /** Whether the last forward pass projected its inputs step by step (tests). */
    boolean projectsPerStep() {
        return projectPerStep;
    }

    /** How many members the hidden units are split over for batches of the last pass or step (tests). */
    int unitMembers() {
        return sliceStart == null ? 1 : sliceStart.length - 1;
    }

    /** Whether the last pass, forward or backward, was split by batch rows (see {@link #threads(int)}). */
    boolean splitByRows() {
        return rowStart != null;
    }

    /** Whether the last streaming step was split by batch rows (tests). */
    boolean stepSplitByRows() {
        return streamByRows;
    }

    /** The thread count set by {@link #threads(int)}. */
    public int threads() {
        return threads;
    }

    /** Stops the layer's threads, if any; the layer stays usable and starts them again when needed. */
    public void close() {
        if (team != null) {
            team.close();
            team = null;
        }
    }

    private static int defaultThreads() {
        String value = System.getProperty("jrnn.threads");
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-Djrnn.threads must be an integer >= 1, found '" + value + "'");
    }

    /** Runs one round over the hidden-unit slices of {@link #sliceStart}. */
    private void runRound(StepTeam.Task task) {
        runRound(task, sliceStart.length - 1);
    }

    /** Runs one round: on the caller alone, or on every one of {@code members} members of the team. */
    private void runRound(StepTeam.Task task, int members) {
        if (members == 1) {
            task.run(0);
            return;
        }
        team(members).run(task);
    }

    /** The team of {@code members} threads, made (replacing a team of another size) when needed. */
    private StepTeam team(int members) {
        if (team != null && team.members() != members) {
            close();
        }
        if (team == null) {
            team = new StepTeam(members, "jrnn-" + parameters.owner(), startTeamThreads);
        }
        return team;
    }

    /**
     * Splits {@code rows} rows into {@code members} runs of about equal work (the sum of {@code lengths}, or one
     * per row when it is null), cut at multiples of four rows (the products' row tiles) when each member has
     * several: the starts, into {@code into} when it has the right size.
     */
    private static int[] splitRows(int[] into, int members, int rows, int[] lengths) {
        int[] start = into != null && into.length == members + 1 ? into : new int[members + 1];
        long total = 0;
        for (int r = 0; r < rows; r++) {
            total += lengths == null ? 1 : lengths[r];
        }
        int tile = rows >= 8 * members ? 4 : 1;
        long sum = 0;
        int r = 0;
        for (int m = 1; m < members; m++) {
            long target = total * m / members;
            while (r < rows) {
                int w = lengths == null ? 1 : lengths[r];
                if (sum + w > target) {
                    break;
                }
                sum += w;
                r++;
            }
            start[m] = Math.max(start[m - 1], Math.min(rows, (r + tile / 2) / tile * tile));
        }
        start[members] = rows;
        return start;
    }

    /**
     * How many members split a pass or streaming step over {@code rows} rows by rows: 1 (not split by rows) unless
     * the cell runs its steps in slices, the layer has several threads, each gets at least {@link #minimumRows}
     * rows, it multiplies packed weights at its steps and in its projection (whose products do not depend on how
     * their rows are blocked, so that the split changes no result), and its weights are at most
     * {@link #ROW_SPLIT_MAX_WEIGHTS}.
     */
    private int rowMembers(int rows, boolean packsProjection, boolean packsSteps) {
        if (threads < 2 || !slicedSteps() || !packsProjection || !packsSteps
                || (long) (inputSize + hidden) * gateWidth > rowSplitMaxWeights) {
            return 1;
        }
        return Math.max(1, Math.min(threads, rows / minimumRows));
    }

    /**
     * Initializes the parameters, seeded: Glorot uniform for {@code weight_ih}, an orthogonal matrix per gate
     * block for {@code weight_hh}, zero biases (subclasses may add, e.g. the LSTM forget-gate bias).
     */
    public RecurrentLayer initialize(long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] v = parameters.values();
        Initializers.glorotUniform(v, wIh, gateWidth, inputSize, inputSize, gateWidth, random);
        for (int block = 0; block < gateWidth / hidden; block++) {
            Initializers.orthogonal(v, wHh + block * hidden * hidden, hidden, random);
        }
        Arrays.fill(v, bIh, bIh + 2 * gateWidth, 0f);
        return this;
    }

    /**
     * Runs the layer over a batch.
     *
     * @param x       {@code [batch][time][inputSize]}; values at steps past a sequence's length are ignored
     * @param lengths per-sequence lengths in {@code [1, time]}, or null for all {@code time}
     * @param h0      {@code [batch][hidden]} initial hidden state, or null for zeros
     * @param c0      {@code [batch][hidden]} initial cell state (LSTM only), or null for zeros
     * @throws IllegalArgumentException naming the expected and actual value when a shape or length is wrong
     */
    public RecurrentOutput forward(float[] x, int batch, int time, int[] lengths, float[] h0, float[] c0) {
        return pass(x, batch, time, lengths, h0, c0, true);
    }

    /**
     * Runs the layer over a batch for inference: the same outputs as {@link #forward}, bit for bit, without
     * keeping what {@link #backward} needs. A pass that projects its inputs step by step (batches of at least
     * {@value #PER_STEP_PROJECTION_BATCH} whose W_ih is small enough to stay in cache) then writes every
     * step's gates into the same rows, which stay in cache, instead of a {@code [T][B][G*H]} record that
     * streams to memory. Recurrent dropout never applies, whatever {@link #training(boolean)} says, and no
     * mask is drawn. A following {@link #backward} throws until the next {@link #forward}.
     *
     * @throws IllegalArgumentException as {@link #forward} does
     */
    public RecurrentOutput infer(float[] x, int batch, int time, int[] lengths, float[] h0, float[] c0) {
        return pass(x, batch, time, lengths, h0, c0, false);
    }

    private RecurrentOutput pass(float[] x, int batch, int time, int[] lengths, float[] h0, float[] c0,
                                 boolean keep) {
        validateForward(x, batch, time, lengths, h0, c0);
        // until this pass completes, no backward may run (its caches are being overwritten)
        forwardDone = false;
        keeping = keep;
        ensureSlices(batch);
        ensureWorkspace(batch, time);
        order(lengths);
        try {
            runForward(x, batch, time, h0, c0);
        } finally {
            lastPassEnd = System.nanoTime();
            productsIh = null;
            productsHh = null;
            passInputs = null;
        }
        if (keeping) {
            cacheSlices = rowStart != null ? wholeLayer : sliceStart;
            cacheSliced = cacheSlices.length > 2;
            if (cacheSliced && !slicedBackward()) {
                unpermuteCaches();
                cacheSliced = false;
            }
        }
        writeOutputs();
        forwardDone = keeping;
        return new RecurrentOutput(output, finalStates[0], stateCount > 1 ? finalStates[1] : null);
    }

    private void runForward(float[] x, int batch, int time, float[] h0, float[] c0) {
        // pre-activations: bias, then + x·W_ihᵀ, each member for its slice of units (packing its slices of the
        // weights first when the products are long enough), for all steps here or for each step in its step
        int rows = batch * time;
        packInputs = packs(rows, inputSize <= SHORT_INPUT ? PACKING_MIN_ROWS_SHORT_INPUT : PACKING_MIN_ROWS);
        packRecurrent = packs(time, PACKING_MIN_STEPS);
        // packings made from the same values are reused: repeated inference passes pack once (whether a pass
        // packs depends on its shape only, so that its results do not depend on the calls before it)
        int byRows = rowMembers(batch, packInputs, packRecurrent);
        rowStart = byRows > 1 ? splitRows(rowStart, byRows, batch, lengthOf) : null;
        // the packings are laid out for this pass's split (split by rows, every member multiplies the whole
        // matrices) and reused while it and the values stay the same
        int[] packSlices = byRows > 1 ? wholeLayer : sliceStart;
        long version = parameters.version();
        repackInputs = packInputs && !packedIh.current(packSlices, version);
        repackRecurrent = packRecurrent && !packedHh.current(packSlices, version);
        projectPerStep = packInputs && batch >= PER_STEP_PROJECTION_BATCH
                && (long) inputSize * gateWidth <= PER_STEP_PROJECTION_WEIGHTS;
        gateStride = keeping || !projectPerStep ? batch * gateWidth : 0;
        pipelined = threads > 1 && byRows == 1 && sliceStart.length == 2 && slicedSteps() && packInputs
                && !projectPerStep && time > PIPELINE_STEPS
                && (long) rows * inputSize * gateWidth >= pipelineMinProjection && helpersAwake();
        boolean stepRows = projectPerStep || byRows > 1;
        directInputs = !keeping && active[time - 1] == batch && (batch == 1 || stepRows);
        gatherPerStep = !directInputs && stepRows;
        passInputs = x;
        if (!directInputs && !gatherPerStep) {
            for (int t = 0; t < time; t++) {
                gatherRows(t, 0, batch);
            }
        }
        biasForInputProjection(bias);
        productsIh = packInputs ? packedIh : null;
        if (byRows > 1) {
            // each member projects its rows step by step, so there is only the packing to do first
            float[] p = parameters.array();
            if (repackInputs) {
                packedIh.pack(0, p, wIh);
            }
            if (repackRecurrent) {
                packedHh.pack(0, p, wHh);
            }
        } else {
            runRound(projectionTask);
        }
        if (repackInputs) {
            packedIh.packed(version);
        }
        if (repackRecurrent) {
            packedHh.packed(version);
        }
        productsHh = packRecurrent ? packedHh : null;
        loadRows(h0, states[0]);
        if (stateCount > 1) {
            loadRows(c0, states[1]);
        }
        prepareDropout();
        if (byRows > 1) {
            // one round: each member runs every step of its rows, with no barrier between steps
            runRound(rowForwardTask, byRows);
            return;
        }
        if (pipelined) {
            // one round: the caller steps, the others project the steps ahead
            startPipeline();
            runRound(pipelineTask, threads);
            return;
        }
        for (int t = 0; t < time; t++) {
            forwardStep(t);
        }
    }

    /** Step t of a forward pass that is not split by rows, on every member of its slices of units. */
    private void forwardStep(int t) {
        int n = active[t];
        maskRecurrentInput(t, 0, batch);
        roundTime = t;
        roundRows = n;
        if (gatherPerStep) {
            gatherRows(t, 0, batch);
        }
        runRound(forwardTask);
        keepFinishedStates(t, n, batch);
        writeStepOutput(t, 0, batch);
    }

    /**
     * Whether the other threads spin for work, so that a pipelined pass starts on them at once. When they are
     * parked (the layer was idle) this pass runs alone, and wakes them for the passes that follow if it comes
     * right after the last one (passes in a row). A parked thread on this virtual machine can take from tens of
     * microseconds to milliseconds to run again: after the caller had slept 2 ms between passes, a pipelined
     * pass at H = 128, batch 1 took 12.7 µs per step (median of 300) against 5.3 alone, and passes 1–5 ms apart
     * that woke the threads without using them took 5–7 % longer than passes that did not; passes in a row
     * took 3.7 µs against 4.8. Since the caller takes the shares no member has started ({@link StepTeam}), a
     * pipelined pass after 5 ms asleep no longer waits for the parked thread at its end, but still took 6.3 µs
     * per step against 5.7 alone, so the rule stays.
     */
    private boolean helpersAwake() {
        if (team == null || team.members() != threads) {
            team(threads);
            return pipelineWhenParked;
        }
        if (pipelineWhenParked || team.awake()) {
            return true;
        }
        if (System.nanoTime() - lastPassEnd < PIPELINE_WAKE_NANOS) {
            team.wake();
        }
        return false;
    }

    /** Sets up the chunks of a pipelined projection: none claimed, none done in this pass. */
    private void startPipeline() {
        if (chunkDone.length() < pipelineChunks()) {
            chunkDone = new AtomicIntegerArray(pipelineChunks());
        }
        passStamp++;
        projectionFailed = false;
        pipelineStepsDone = false;
        chunkClaim.set(0);
    }

    /** Chunks of the current pipelined pass's projection. */
    private int pipelineChunks() {
        return (time + PIPELINE_STEPS - 1) / PIPELINE_STEPS;
    }

    /**
     * A member of a pipelined pass: member 0 runs the steps, each chunk of {@link #PIPELINE_STEPS} steps once
     * its projection is done (projecting it itself when no other member has claimed it yet, e.g. while a
     * thread is slow to start); the others project chunks in order as they claim them, then spin until the
     * steps are done.
     */
    private void pipelineMember(int member) {
        if (member > 0) {
            try {
                int chunks = pipelineChunks();
                for (int c = chunkClaim.getAndIncrement(); c < chunks; c = chunkClaim.getAndIncrement()) {
                    projectChunk(c);
                }
            } catch (RuntimeException | Error e) {
                projectionFailed = true;
                throw e;
            }
            // spin to the end of the pass, so that the team is still awake for the next one (helpersAwake)
            while (!pipelineStepsDone) {
                Thread.onSpinWait();
            }
            return;
        }
        try {
            for (int t = 0; t < time; t++) {
                if (t % PIPELINE_STEPS == 0 && !awaitChunk(t / PIPELINE_STEPS)) {
                    return; // the projecting member failed: the round rethrows its failure
                }
                forwardStep(t);
            }
        } finally {
            pipelineStepsDone = true;
        }
    }

    /**
     * Returns once chunk c is projected, projecting it on this thread if no member has claimed it (every
     * chunk before it is done, so the claims are at c or past it); false if a projecting member failed.
     */
    private boolean awaitChunk(int c) {
        for (int spins = 0; chunkDone.get(c) != passStamp; spins++) {
            if (chunkClaim.get() == c && chunkClaim.compareAndSet(c, c + 1)) {
                projectChunk(c);
                return true;
            }
            if (projectionFailed) {
                return false;
            }
            if (spins < AWAIT_SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the projecting thread may be waiting for this CPU
            }
        }
        return true;
    }

    /** Bias plus input projection of the steps of chunk c, every unit (the packed product blocks rows freely). */
    private void projectChunk(int c) {
        int r0 = c * PIPELINE_STEPS * batch;
        int n = Math.min(PIPELINE_STEPS * batch, time * batch - r0);
        projectRows(r0, n, 0, hidden, r0 * gateWidth);
        chunkDone.set(c, passStamp);
    }

    /**
     * For a sequence output, copies rows {@code [r0, r1)} of step t's h into the output ({@code [B][T][H]} in
     * batch order; zeros past a sequence's length) while they are still in cache, instead of in a pass over
     * the whole {@code [T+1][B][H]} record after the last step.
     */
    private void writeStepOutput(int t, int r0, int r1) {
        if (outputMode != OutputMode.SEQUENCE) {
            return;
        }
        int from = stateOffset(t + 1);
        for (int r = r0; r < r1; r++) {
            int b = perm[r];
            int dst = (b * time + t) * hidden;
            if (t < lengthOf[b]) {
                System.arraycopy(states[0], from + r * hidden, output, dst, hidden);
            } else {
                Arrays.fill(output, dst, dst + hidden, 0f);
            }
        }
    }

    /**
     * Rows {@code [r0, r1)} of step t's recurrent input h ⊙ mask while recurrent dropout is on: every row,
     * finished ones too, so that the weight-gradient GEMM never meets stale values.
     */
    private void maskRecurrentInput(int t, int r0, int r1) {
        if (dropoutActive) {
            int at = stateOffset(t) + r0 * hidden;
            System.arraycopy(states[0], at, hDropped, at, (r1 - r0) * hidden);
            vectors.multiply((r1 - r0) * hidden, hMask, r0 * hidden, hDropped, at);
        }
    }

    /** Rows {@code [from, r1)}, sequences finished before step t, keep their states through the step. */
    private void keepFinishedStates(int t, int from, int r1) {
        for (int s = 0; s < stateCount; s++) {
            System.arraycopy(states[s], stateOffset(t) + from * hidden, states[s], stateOffset(t + 1) + from * hidden,
                    (r1 - from) * hidden);
        }
    }

    /**
     * Member {@code m}'s rows of every step of a forward pass split by rows (W_ih and W_hh packed whole), each
     * step's input projection included. The caches keep the usual layout.
     */
    private void forwardRows(int m) {
        int r0 = rowStart[m];
        int r1 = rowStart[m + 1];
        if (r0 == r1) {
            return;
        }
        for (int t = 0; t < time; t++) {
            maskRecurrentInput(t, r0, r1);
            if (gatherPerStep) {
                gatherRows(t, r0, r1);
            }
            // every row, finished sequences too, as the projection of all steps would
            projectRows(t * batch + r0, r1 - r0, 0, hidden, gateOffset(t) + r0 * gateWidth);
            int n = Math.min(r1, active[t]);
            if (n > r0) {
                stepForwardSlice(t, r0, n, 0, hidden);
            }
            keepFinishedStates(t, Math.max(r0, n), r1);
            writeStepOutput(t, r0, r1);
        }
    }

    /**
     * Backpropagates through time the gradients of the last {@link #forward}: adds the parameter gradients
     * into {@link Parameters#gradients()} and returns the gradients of the inputs and initial states.
     *
     * @param dOutput gradient of the output ({@code [batch][time][hidden]} or {@code [batch][hidden]} per the
     *                output mode), or null for zero
     * @param dhN     gradient of the final hidden state, or null for zero
     * @param dcN     gradient of the final cell state (LSTM only), or null for zero
     */
    public RecurrentGradients backward(float[] dOutput, float[] dhN, float[] dcN) {
        if (!forwardDone) {
            throw new IllegalStateException(parameters.owner() + (!keeping
                    ? ": backward after infer, which keeps nothing for it; run forward to train"
                    : ": backward called before forward"));
        }
        int bh = batch * hidden;
        int outLength = outputMode == OutputMode.SEQUENCE ? batch * time * hidden : bh;
        requireLength("dOutput", dOutput, outLength);
        requireLength("dhN", dhN, bh);
        if (stateCount > 1) {
            requireLength("dcN", dcN, bh);
        } else if (dcN != null) {
            throw new IllegalArgumentException(parameters.owner() + ": dcN must be null, this cell has no cell state");
        }
        clearFinishedRows(dGates);
        clearBackward();
        loadRows(dhN, dStates[0]);
        if (stateCount > 1) {
            loadRows(dcN, dStates[1]);
        }
        if (outputMode == OutputMode.LAST && dOutput != null) {
            for (int r = 0; r < batch; r++) {
                vectors.axpy(hidden, 1f, dOutput, perm[r] * hidden, dStates[0], r * hidden);
            }
        }
        int rows = time * batch;
        packBackwardSteps = packs(time, PACKING_MIN_STEPS);
        packBackwardProducts = packs(rows, PACKING_MIN_ROWS);
        if (cacheSliced && cacheSlices != sliceStart) {
            // the slices changed since the forward pass (threads() or a streaming step in between)
            unpermuteCaches();
            cacheSliced = false;
        }
        int byRows = slicedBackward() && !cacheSliced
                ? rowMembers(batch, packBackwardProducts, packBackwardSteps) : 1;
        if (byRows > 1) {
            backwardByRows(dOutput, byRows);
        } else if (slicedBackward()) {
            // in the forward pass's slices, or as one slice of the whole layer on this thread
            backwardSliced(dOutput, cacheSliced ? sliceStart : wholeLayer);
        } else {
            backwardSerial(dOutput);
        }
        for (int s = 0; s < stateCount; s++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(dStates[s], rank[b] * hidden, dInitialStates[s], b * hidden, hidden);
            }
        }
        return new RecurrentGradients(dInput, dInitialStates[0], stateCount > 1 ? dInitialStates[1] : null);
    }

    /**
     * Backward on the caller's thread for a cell that does not {@linkplain #slicedBackward() backpropagate in
     * slices}: its {@link #stepBackward} for each step in reverse, then the products over all rows.
     */
    private void backwardSerial(float[] dOutput) {
        int rows = time * batch;
        for (int t = time - 1; t >= 0; t--) {
            int n = active[t];
            if (outputMode == OutputMode.SEQUENCE && dOutput != null) {
                for (int r = 0; r < n; r++) {
                    vectors.axpy(hidden, 1f, dOutput, (perm[r] * time + t) * hidden, dStates[0], r * hidden);
                }
            }
            stepBackward(t, n);
        }
        packRowProducts(1);
        float[] g = parameters.gradients();
        product(true, gateWidth, inputSize, rows, dGates, 0, gateWidth, xs, 0, inputSize, packedXs, 1f, g, wIh,
                inputSize);
        matrix.gemv(true, rows, gateWidth, 1f, dGates, 0, gateWidth, ones, 0, 1f, g, bIh);
        accumulateRecurrentGradients();
        product(false, rows, inputSize, gateWidth, dGates, 0, gateWidth, parameters.array(), wIh, inputSize,
                packedIhBackward, 0f, dxs, 0, inputSize);
        scatterInputGradients(0, rows);
    }

    /**
     * Zeros the rows of finished sequences in a {@code [T][B][G*H]} gradient record before a backward pass: the
     * steps write every row still running (every gate kernel writes its gradients, none adds to them), and the
     * products over all rows must meet zeros in the others. Clearing the whole record was a serial pass over
     * it (13 MB at H = 128, batch 64, T = 100) while the other threads of a split pass waited.
     */
    protected final void clearFinishedRows(float[] record) {
        for (int t = 0; t < time; t++) {
            int at = gateOffset(t);
            Arrays.fill(record, at + active[t] * gateWidth, at + batch * gateWidth, 0f);
        }
    }

    /**
     * Copies the input gradients of time-major rows {@code [q0, q1)} of {@link #dxs} into {@code dInput}
     * ({@code [B][T][X]} in batch order): each member of a threaded backward copies the rows it computed.
     */
    private void scatterInputGradients(int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            int t = q / batch;
            System.arraycopy(dxs, q * inputSize, dInput, (perm[q - t * batch] * time + t) * inputSize, inputSize);
        }
    }

    /**
     * Backward in {@code slices} of units: the forward pass's (its caches are in their sliced layout), one member
     * per slice, or the whole layer as one slice on this thread. Each member backpropagates its units through the
     * gates, writes their gate gradients into the usual layout of {@link #dGates} (and of
     * {@link #recurrentProductGradients()} D when the cell keeps them apart), and after the round's barrier
     * computes its units' part of {@code dh_{t-1} = D_t · W_hh} (plus the direct path, if any), which needs every
     * unit's gradients; one round per step (the product of step t and the gates of step t − 1). Then the products
     * over all rows, split by gate rows (weight and bias gradients) and by rows (input gradients). Every element
     * gets the same arithmetic whatever the slices.
     */
    private void backwardSliced(float[] dOutput, int[] slices) {
        rowStart = null;
        backwardSlices = slices;
        gradientSlices = slices;
        if (slices.length > 2) {
            if (dGatesSlice == null || dGatesSlice.length != batch * gateWidth) {
                dGatesSlice = new float[batch * gateWidth];
            }
            if (recurrentProductGradients() != dGates
                    && (dRecurrentSlice == null || dRecurrentSlice.length != batch * gateWidth)) {
                dRecurrentSlice = new float[batch * gateWidth];
            }
        }
        if (packBackwardSteps) {
            packColumns(slices);
        }
        roundDOutput = dOutput;
        try {
            for (int t = time; t >= 0; t--) {
                roundTime = t;
                runRound(backwardTask, backwardSlices.length - 1);
            }
            packRowProducts(backwardSlices.length - 1);
            runRound(gradientTask, backwardSlices.length - 1);
        } finally {
            roundDOutput = null;
        }
    }

    /**
     * Backward split by rows across {@code members} members: W_hh's columns packed whole, then one round in which
     * each member backpropagates its rows through every step (no barrier between steps), then the products
     * over all rows as in {@link #backwardSliced}, in slices of units that multiples of 16 cut evenly.
     */
    private void backwardByRows(float[] dOutput, int members) {
        rowStart = splitRows(rowStart, members, batch, lengthOf);
        if (rowGradientSlices == null || rowGradientSlices.length != members + 1) {
            rowGradientSlices = unitSlices(members);
        }
        gradientSlices = rowGradientSlices;
        packColumns(wholeLayer);
        roundDOutput = dOutput;
        try {
            runRound(rowBackwardTask, members);
            packRowProducts(members);
            runRound(gradientTask, members);
        } finally {
            roundDOutput = null;
        }
    }

    /** Member {@code m}'s rows of every step of a backward pass split by rows, last step first. */
    private void backwardRows(int m) {
        int r0 = rowStart[m];
        int r1 = rowStart[m + 1];
        if (r0 == r1) {
            return;
        }
        for (int t = time; t >= 0; t--) {
            backwardStep(t, r0, r1, 0, hidden, 0);
        }
    }

    /**
     * Packs the columns {@code [slices[m], slices[m+1])} of W_hh ({@code [G*H][H]}) for each member m, for the
     * step products {@code dGates·W_hh} of a backward pass, unless they are packed from the same values already.
     */
    private void packColumns(int[] slices) {
        columnsHh.ensurePacked(slices, parameters.version(), parameters.array(), wHh);
    }

    /**
     * When the backward pass packs its products over all rows: packs their B operands once — the inputs and the
     * recurrent inputs of all steps (weight gradients) and W_ih (input gradients) — in one round of
     * {@code members} members (on the caller alone for one), each packing whole matrices (on one thread the
     * packing was a serial part of a threaded backward pass).
     */
    private void packRowProducts(int members) {
        if (!packBackwardProducts) {
            return;
        }
        rowPackingMembers = members;
        runRound(rowPackingTask, members);
    }

    /** Member m's share of a {@link #packRowProducts} round: the matrices whose number is m modulo the members. */
    private void packRowShare(int m, int members) {
        for (int i = m; i < 3; i += members) {
            packRowProduct(i);
        }
    }

    /** Packs the inputs (0), the recurrent inputs (1) or W_ih (2) for the products over all rows. */
    private void packRowProduct(int which) {
        int rows = time * batch;
        switch (which) {
            case 0 -> packedXs = packed(packedXs, rows, inputSize, xs, 0, inputSize);
            case 1 -> packedH = packed(packedH, rows, hidden, recurrentInput(), 0, hidden);
            default -> packedIhBackward = packed(packedIhBackward, gateWidth, inputSize, parameters.array(), wIh,
                    inputSize);
        }
    }

    /** Round {@code t} of a backward in slices of units, member {@code m}'s slice over all rows. */
    private void backwardSlice(int m) {
        backwardStep(roundTime, 0, batch, backwardSlices[m], backwardSlices[m + 1], m);
    }

    /**
     * Rows {@code [r0, r1)} and units {@code [j0, j1)} of backward round {@code t}: {@code dh_{t-1}} from step
     * t's gate gradients (when {@code t < time}; W_hh's columns of the units packed for {@code member} when the
     * pass packs them), then step {@code t − 1}'s gates (when {@code t > 0}); of the rows, only the sequences
     * still running at each step.
     */
    private void backwardStep(int t, int r0, int r1, int j0, int j1, int member) {
        int s = j1 - j0;
        float[] dh = dStates[0];
        if (t < time) {
            // dh_{t-1} of the units: the recurrent product of step t's gradients, onto the direct path when the
            // cell has one (collected apart and masked under dropout), as the single-threaded step computes it
            int n = Math.min(r1, active[t]);
            boolean direct = recurrentDirectPath();
            // the product adds onto dh's direct part, or replaces it, or (collected apart) replaces the scratch
            float[] target = direct && dropoutActive ? dhDropped : dh;
            float beta = direct && !dropoutActive ? 1f : 0f;
            float[] d = recurrentProductGradients();
            int rows = Math.max(0, n - r0);
            if (packBackwardSteps) {
                columnsHh.columnProducts(member, rows, d, gateOffset(t) + r0 * gateWidth, gateWidth, beta, target,
                        r0 * hidden + j0, hidden);
            } else {
                matrix.gemm(false, false, rows, s, gateWidth, 1f, d, gateOffset(t) + r0 * gateWidth, gateWidth,
                        parameters.array(), wHh + j0, hidden, beta, target, r0 * hidden + j0, hidden);
            }
            if (dropoutActive) {
                for (int r = r0; r < n; r++) {
                    vectors.multiply(s, hMask, r * hidden + j0, target, r * hidden + j0);
                    if (direct) {
                        vectors.axpy(s, 1f, dhDropped, r * hidden + j0, dh, r * hidden + j0);
                    }
                }
            }
        }
        if (t == 0) {
            return;
        }
        int step = t - 1;
        int n = Math.min(r1, active[step]);
        if (n <= r0) {
            return;
        }
        if (outputMode == OutputMode.SEQUENCE && roundDOutput != null) {
            for (int r = r0; r < n; r++) {
                vectors.axpy(s, 1f, roundDOutput, (perm[r] * time + step) * hidden + j0, dh, r * hidden + j0);
            }
        }
        if (s == hidden) {
            // the whole layer: its layout is the usual one, so the gradients go straight to their rows of step t − 1
            stepBackwardSlice(step, r0, n, j0, j1, dGates, recurrentProductGradients(), gateOffset(step));
            return;
        }
        stepBackwardSlice(step, 0, n, j0, j1, dGatesSlice, dRecurrentSlice, 0);
        unslice(dGatesSlice, dGates, step, n, j0, j1);
        if (recurrentProductGradients() != dGates) {
            unslice(dRecurrentSlice, recurrentProductGradients(), step, n, j0, j1);
        }
    }

    /** Copies units {@code [j0, j1)} of {@code n} rows from the sliced layout into step {@code t} of {@code out}. */
    private void unslice(float[] slice, float[] out, int t, int n, int j0, int j1) {
        int s = j1 - j0;
        int blocks = gateWidth / hidden;
        int g = gateOffset(t);
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < blocks; k++) {
                System.arraycopy(slice, r * gateWidth + blocks * j0 + k * s, out, g + r * gateWidth + k * hidden + j0,
                        s);
            }
        }
    }

    /**
     * The products over all rows of a threaded backward, member {@code m}'s share: the gradients of the weight
     * and bias rows of its units (every gate block), and the input gradients of its block of rows.
     */
    private void gradientSlice(int m) {
        int members = gradientSlices.length - 1;
        int j0 = gradientSlices[m];
        // the whole layer's gate blocks are contiguous: one block of every gate row
        int s = members == 1 ? gateWidth : gradientSlices[m + 1] - j0;
        int blocks = members == 1 ? 1 : gateWidth / hidden;
        int rows = time * batch;
        float[] g = parameters.gradients();
        float[] dRecurrent = recurrentProductGradients();
        for (int k = 0; k < blocks; k++) {
            int col = k * hidden + j0;
            product(true, s, inputSize, rows, dGates, col, gateWidth, xs, 0, inputSize, packedXs, 1f,
                    g, wIh + col * inputSize, inputSize);
            product(true, s, hidden, rows, dRecurrent, col, gateWidth, recurrentInput(), 0, hidden, packedH, 1f,
                    g, wHh + col * hidden, hidden);
            matrix.gemv(true, rows, s, 1f, dGates, col, gateWidth, ones, 0, 1f, g, bIh + col);
            matrix.gemv(true, rows, s, 1f, dRecurrent, col, gateWidth, ones, 0, 1f, g, bHh + col);
        }
        int r0 = (int) ((long) rows * m / members);
        int r1 = (int) ((long) rows * (m + 1) / members);
        product(false, r1 - r0, inputSize, gateWidth, dGates, r0 * gateWidth, gateWidth, parameters.array(),
                wIh, inputSize, packedIhBackward, 0f, dxs, r0 * inputSize, inputSize);
        scatterInputGradients(r0, r1);
    }

    /**
     * {@code C = op(A)·B + beta·C}, a product of the backward pass over all its rows: on B as it is, or on
     * {@code packedB} (B packed whole by {@link #packRowProducts}) when the pass packs.
     */
    private void product(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                              int bOff, int ldb, float[] packedB, float beta, float[] c, int cOff, int ldc) {
        if (packBackwardProducts) {
            matrix.gemmPacked(transA, m, n, k, 1f, a, aOff, lda, packedB, 0, beta, c, cOff, ldc);
        } else {
            matrix.gemm(transA, false, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    // ---- streaming inference ----------------------------------------------------------------------------

    /**
     * One step of streaming inference over {@code batch} independent streams whose states the caller keeps:
     * reads {@code x [batch][inputSize]} and replaces {@code h [batch][hidden]} (and, for the LSTM,
     * {@code c [batch][hidden]}) with the states after the step. Nothing is kept for backward, a pending
     * {@link #backward} is not disturbed, and after the first call with a given batch size nothing is
     * allocated.
     *
     * @throws IllegalArgumentException naming the expected and actual size when an array has the wrong length
     */
    public void step(int batch, float[] x, float[] h, float[] c) {
        if (batch < 1) {
            throw new IllegalArgumentException(parameters.owner() + ": batch must be >= 1, found " + batch);
        }
        requireExactly("x", x, batch * inputSize);
        requireExactly("h", h, batch * hidden);
        if (stateCount > 1) {
            requireExactly("c", c, batch * hidden);
        } else if (c != null) {
            throw new IllegalArgumentException(parameters.owner() + ": c must be null, this cell has no cell state");
        }
        if (streamBatch != batch) {
            streamBatch = batch;
            streamGates = new float[batch * gateWidth];
            streamWork = new float[batch * gateWidth];
            streamBias = new float[gateWidth];
            streamH = new float[batch * hidden];
            allocateStream(batch);
        }
        biasForInputProjection(streamBias);
        ensureSlices(batch);
        boolean packs = packingForced != Boolean.FALSE;
        int byRows = rowMembers(batch, packs, packs);
        streamByRows = byRows > 1;
        if (packs) {
            packForStreaming(byRows > 1 ? wholeLayer : sliceStart);
            productsIh = streamIh;
            productsHh = streamHh;
        }
        try {
            if (byRows > 1) {
                // each member reads and writes only its rows of h
                streamRowStart = splitRows(streamRowStart, byRows, batch, null);
                roundX = x;
                roundH = h;
                roundC = c;
                runRound(streamRowsTask, byRows);
                return;
            }
            if (sliceStart.length == 2) {
                streamSlice(0, batch, x, h, h, c, 0, hidden);
                return;
            }
            System.arraycopy(h, 0, streamH, 0, batch * hidden);
            roundRows = batch;
            roundX = x;
            roundHIn = streamH;
            roundH = h;
            roundC = c;
            runRound(streamTask);
        } finally {
            productsIh = null;
            productsHh = null;
            roundX = null;
            roundHIn = null;
            roundH = null;
            roundC = null;
        }
    }

    /** A streaming step split by rows: member m's rows, every unit (each member reads only its rows of h). */
    private void streamRows(int m) {
        if (streamRowStart[m] < streamRowStart[m + 1]) {
            streamSlice(streamRowStart[m], streamRowStart[m + 1], roundX, roundH, roundH, roundC, 0, hidden);
        }
    }

    /** Packs W_ih and W_hh for streaming steps in {@code slices} unless the packing is current for them and the values. */
    private void packForStreaming(int[] slices) {
        streamIh.ensurePacked(slices, parameters.version(), parameters.array(), wIh);
        streamHh.ensurePacked(slices, parameters.version(), parameters.array(), wHh);
    }

    /**
     * A streaming step for hidden units {@code [j0, j1)} of streams (rows) {@code [r0, r1)}: their gate columns
     * of {@link #streamGates} (the block at {@code G·j0}, gate k at {@code G·j0 + k·(j1 − j0)}, see
     * {@link #addSliceProduct}) first get the input projection from {@link #sliceInput}, then the
     * recurrent product of {@code hIn}; the new states of those units go into {@code h} and {@code c}. Other
     * members may write other units or other rows of {@code h} meanwhile, so the products read {@code hIn}
     * only. {@link #streamWork} is scratch, with the same row and column layout ({@code [B][G*H]}, or
     * {@code [B][H]} for state-sized scratch). {@code x} is {@code [B][inputSize]}, the states {@code [B][H]}.
     */
    protected abstract void streamSlice(int r0, int r1, float[] x, float[] hIn, float[] h, float[] c, int j0,
                                        int j1);

    /**
     * For rows {@code [r0, r1)} and units {@code [j0, j1)}: writes the bias of the input projection
     * ({@code bias_ih + bias_hh}, or what the cell chose) and adds {@code x·W_ihᵀ} into the slice's gate columns
     * of {@link #streamGates}.
     */
    protected final void sliceInput(int r0, int r1, float[] x, int j0, int j1) {
        biasedSliceProduct(r1 - r0, x, r0 * inputSize, inputSize, inputSize, wIh, streamBias, 0, j0, j1, streamGates,
                r0 * gateWidth);
    }

    /** Allocates a cell's own buffers for streaming steps of {@code batch} streams. */
    protected void allocateStream(int batch) {
    }

    private void requireExactly(String name, float[] a, int expected) {
        if (a == null) {
            throw new IllegalArgumentException(parameters.owner() + ": " + name + " is null, expected " + expected
                    + " values");
        }
        requireLength(name, a, expected);
    }

    private void prepareDropout() {
        dropoutActive = keeping && training && recurrentDropout > 0;
        if (!dropoutActive) {
            return;
        }
        int bh = batch * hidden;
        if (hMask == null || hMask.length != bh || hDropped.length != time * bh) {
            hMask = new float[bh];
            hDropped = new float[time * bh];
            dhDropped = new float[bh];
            maskDrawn = false;
        }
        if (frozenMask && maskDrawn) {
            return;
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(dropoutSeed
                + dropoutPasses * 0x9E3779B97F4A7C15L);
        dropoutPasses++;
        maskDrawn = true;
        float keep = 1f / (1f - recurrentDropout);
        for (int i = 0; i < bh; i++) {
            hMask[i] = random.nextDouble() < recurrentDropout ? 0f : keep;
        }
    }

    /**
     * The input of step {@code t}'s recurrent products ({@code [T][B][H]}, at {@link #stateOffset}(t)): the
     * states themselves, or h ⊙ mask while recurrent dropout is on.
     */
    protected final float[] recurrentInput() {
        return dropoutActive ? hDropped : states[0];
    }

    /** Whether the last forward masked the recurrent input (backward must mask its gradient too). */
    protected final boolean recurrentMasked() {
        return dropoutActive;
    }

    /**
     * The buffer that collects the gradient with respect to the recurrent input at one step: {@code dh} itself
     * without dropout; otherwise a zeroed scratch {@code [B][H]} to pass to {@link #addMaskedGradient}.
     */
    protected final float[] recurrentGradientTarget(float[] dh, int rows) {
        if (!dropoutActive) {
            return dh;
        }
        Arrays.fill(dhDropped, 0, rows * hidden, 0f);
        return dhDropped;
    }

    /** Adds the collected gradient of h ⊙ mask, times the mask, into {@code dh} (no-op without dropout). */
    protected final void addMaskedGradient(float[] dh, int rows) {
        if (!dropoutActive) {
            return;
        }
        vectors.multiply(rows * hidden, hMask, 0, dhDropped, 0);
        vectors.axpy(rows * hidden, 1f, dhDropped, 0, dh, 0);
    }

    // ---- cell hooks -------------------------------------------------------------------------------------

    /**
     * Writes the bias that goes into the input projection ({@code [G*H]}): by default
     * {@code bias_ih + bias_hh}, for cells whose recurrent product is added before any nonlinearity.
     */
    protected void biasForInputProjection(float[] out) {
        // a plain loop (the same sums as an axpy with alpha 1): run once per pass, a backend's vector loop would
        // not be compiled yet and would allocate its vectors
        float[] p = parameters.array();
        for (int j = 0; j < gateWidth; j++) {
            out[j] = p[bIh + j] + p[bHh + j];
        }
    }

    /** Allocates the cell's own buffers for a batch shape (fields {@link #batch}, {@link #time} are set). */
    protected abstract void allocateCell();

    /**
     * Computes, for rows {@code [r0, r1)} and hidden units {@code [j0, j1)}, the states of step {@code t + 1}
     * from those of step {@code t}. The slice's gate columns of {@link #gateBuffer} are the block at
     * {@code G·j0} of each row, gate k at {@code G·j0 + k·(j1 − j0)} (the usual layout when the slice is the
     * whole layer); they hold the input projection. Other members run other slices of the same step, or other
     * rows, at the same time: read the states of step {@code t} and write only the slice's units of the rows'
     * step {@code t + 1}. Rows are independent: the results of a row must not depend on {@code r0} or {@code r1}.
     */
    protected abstract void stepForwardSlice(int t, int r0, int r1, int j0, int j1);

    /**
     * Whether backward runs in slices of units ({@link #stepBackwardSlice}, on the forward pass's threads or as
     * one slice): true for cells whose recurrent input gradient is {@code D·W_hh} with D their
     * {@link #recurrentProductGradients()} (masked under recurrent dropout), added to the gradient the gate step
     * leaves in {@link #dStates} when they have a {@linkplain #recurrentDirectPath() direct path}, and whose
     * recurrent weight gradients are {@code Dᵀ·h_{t-1}}. A cell that returns false implements
     * {@link #stepBackward} and {@link #accumulateRecurrentGradients}; a threaded forward pass then restores the
     * usual layout of its caches and backward runs on one thread.
     */
    protected boolean slicedBackward() {
        return true;
    }

    /**
     * The gradients of the recurrent products' outputs, {@code [T][B][G*H]}: by default {@link #dGates} (the
     * recurrent product is added to the pre-activations); cells that keep it apart return their own buffer.
     * W_hh's and b_hh's gradients and the recurrent input's gradient are computed from it.
     */
    protected float[] recurrentProductGradients() {
        return dGates;
    }

    /**
     * Whether the previous state also reaches the step's output directly (GRU: {@code z·h}): then the gate
     * step writes that part of the gradient into {@link #dStates} and the recurrent product is added to it;
     * otherwise the product is the whole gradient.
     */
    protected boolean recurrentDirectPath() {
        return false;
    }

    /**
     * For rows {@code [r0, r1)} and units {@code [j0, j1)} of step {@code t}: the gate backward of those units,
     * reading the caches in the sliced layout and {@link #dStates} (the units' columns), writing the gradients
     * of their pre-activations into {@code dSlice} at {@code dOff} ({@code [B][G*H]}, the slice's block at
     * {@code G·j0} of each row, gate k at {@code G·j0 + k·(j1 − j0)}) and, for a cell with its own
     * {@link #recurrentProductGradients()}, those of its recurrent products into {@code dRecurrentSlice} at
     * {@code dOff} (same layout), and the units' state gradients back into {@link #dStates}. Called only when
     * {@link #slicedBackward()} is true.
     */
    protected abstract void stepBackwardSlice(int t, int r0, int r1, int j0, int j1, float[] dSlice,
                                              float[] dRecurrentSlice, int dOff);

    /**
     * Whether {@link #stepForwardSlice} can run on part of the units or of the rows; otherwise one thread runs
     * every step.
     */
    protected boolean slicedSteps() {
        return true;
    }

    /**
     * After a threaded forward: brings {@link #gateBuffer}, and in an override the cell's own caches that use
     * the sliced gate layout, back to the usual layout ({@link #unpermuteGates}), so backward reads them as
     * after a single-threaded forward.
     */
    protected void unpermuteCaches() {
        unpermuteGates(gateBuffer);
    }

    /**
     * Rewrites {@code [T][B][G*H]} rows from the sliced gate layout of a threaded forward into the usual one
     * ({@code k·H + j}).
     */
    protected final void unpermuteGates(float[] buffer) {
        int blocks = gateWidth / hidden;
        if (permuteRow == null) {
            permuteRow = new float[gateWidth];
        }
        for (int row = 0; row < time * batch; row++) {
            int r0 = row * gateWidth;
            System.arraycopy(buffer, r0, permuteRow, 0, gateWidth);
            for (int m = 0; m + 1 < cacheSlices.length; m++) {
                int j0 = cacheSlices[m];
                int s = cacheSlices[m + 1] - j0;
                for (int k = 0; k < blocks; k++) {
                    System.arraycopy(permuteRow, blocks * j0 + k * s, buffer, r0 + k * hidden + j0, s);
                }
            }
        }
    }

    /**
     * Copies, for {@code rows} rows of {@code out} (leading dimension G·H, starting at {@code outOff}), the
     * columns of units {@code [j0, j1)} of every gate block of {@code bias} (usual layout, at
     * {@code biasOff}) into the slice's block: column {@code k·H + j} goes to {@code G·j0 + k·(j1 − j0) + (j − j0)}.
     * For the whole layer as one slice the rows are contiguous copies of the bias: the first from it, the rest
     * copied from the rows already filled, doubling (6 copies for 64 rows instead of 256 of one gate block each):
     * batch-64 LSTM inference at H = 64 1.02-1.05x as fast, at H = 128 1.00-1.03x (in-JVM harness alternating
     * the two builds, both orders, AMD Zen 5).
     */
    protected final void fillSlice(float[] bias, int biasOff, int rows, int j0, int j1, float[] out, int outOff) {
        int blocks = gateWidth / hidden;
        int s = j1 - j0;
        if (s == hidden && rows > 0) {
            System.arraycopy(bias, biasOff, out, outOff, gateWidth);
            for (int done = 1; done < rows; done *= 2) {
                System.arraycopy(out, outOff, out, outOff + done * gateWidth, Math.min(done, rows - done) * gateWidth);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int base = outOff + r * gateWidth + blocks * j0;
            for (int k = 0; k < blocks; k++) {
                System.arraycopy(bias, biasOff + k * hidden + j0, out, base + k * s, s);
            }
        }
    }

    /**
     * Adds {@code a·Wᵀ} for the rows of a weight matrix ({@code [G*H][depth]} at {@code wOff} in the
     * parameters) that belong to units {@code [j0, j1)} of the first {@code blocks} gate blocks, into the
     * slice's columns of {@code out} (leading dimension G·H, as in {@link #fillSlice}).
     */
    protected final void addSliceProduct(int rows, float[] a, int aOff, int depth, int wOff, int j0, int j1,
                                         int blocks, float[] out, int outOff) {
        sliceProduct(rows, a, aOff, depth, depth, wOff, j0, j1, blocks, null, 0, out, outOff);
    }

    /**
     * Writes {@code bias + a·Wᵀ} into units {@code [j0, j1)} of {@code rows} rows of {@code out}, every gate block
     * (the slice's columns and the bias's elements as {@link #fillSlice} takes them; W at {@code wOff} as in
     * {@link #addSliceProduct}, A's rows {@code lda} apart): with W packed for the slice, one product per gate
     * block that starts from the bias ({@link MatrixOps#gemmPackedBias}), so that the rows are written once and
     * never read; otherwise the bias is filled in and the products added, which gives the same results. One
     * batch-64 step's projection at H = 64 took 9.6 µs against 11.5 with the fill (harness), and batch-64 LSTM
     * inference and streaming steps at H = 64-256 ran 1.01-1.02x as fast (JMH, AMD Zen 5).
     */
    protected final void biasedSliceProduct(int rows, float[] a, int aOff, int lda, int depth, int wOff, float[] bias,
                                            int biasOff, int j0, int j1, float[] out, int outOff) {
        sliceProduct(rows, a, aOff, lda, depth, wOff, j0, j1, gateWidth / hidden, bias, biasOff, out, outOff);
    }

    /**
     * {@link #addSliceProduct(int, float[], int, int, int, int, int, int, float[], int)} with A's rows lda apart, or
     * with a bias ({@link #biasedSliceProduct}, every gate block) written in before instead of adding onto out.
     */
    private void sliceProduct(int rows, float[] a, int aOff, int lda, int depth, int wOff, int j0, int j1,
                              int blocks, float[] bias, int biasOff, float[] out, int outOff) {
        int s = j1 - j0;
        int base = outOff + (gateWidth / hidden) * j0;
        PackedWeights packed = wOff == wHh ? productsHh : wOff == wIh ? productsIh : null;
        int member = packed == null ? -1 : packed.member(j0, j1);
        if (member >= 0) {
            packed.products(member, blocks, rows, a, aOff, lda, bias, biasOff, out, base, gateWidth);
            return;
        }
        if (bias != null) {
            fillSlice(bias, biasOff, rows, j0, j1, out, outOff);
        }
        for (int k = 0; k < blocks; k++) {
            matrix.gemm(false, true, rows, s, depth, 1f, a, aOff, lda, parameters.array(),
                    wOff + (k * hidden + j0) * depth, depth, 1f, out, base + k * s, gateWidth);
        }
    }

    private void projectSlice(int member) {
        int j0 = sliceStart[member];
        int j1 = sliceStart[member + 1];
        int rows = time * batch;
        float[] p = parameters.array();
        if (repackRecurrent) {
            packedHh.pack(member, p, wHh);
        }
        if (repackInputs) {
            packedIh.pack(member, p, wIh);
        }
        if (projectPerStep || pipelined) {
            return;
        }
        // in blocks of rows, so that a block's gate rows stay in cache between the bias and the product when the
        // bias is filled in first (W_ih not packed), and a backend may block its tiles by rows (PROJECTION_ROWS)
        for (int r0 = 0; r0 < rows; r0 += PROJECTION_ROWS) {
            projectRows(r0, Math.min(PROJECTION_ROWS, rows - r0), j0, j1, r0 * gateWidth);
        }
    }

    /**
     * Bias plus input projection of time-major rows {@code [r0, r0 + n)}, units {@code [j0, j1)}, into the
     * gate rows at {@code gatesOff}.
     */
    private void projectRows(int r0, int n, int j0, int j1, int gatesOff) {
        int at = r0 * inputSize;
        int lda = inputSize;
        if (directInputs && batch > 1) {
            // rows of one step t: sequence r's input at step t is at (r·T + t)·X in the caller's [B][T][X]
            int t = r0 / batch;
            at = ((r0 - t * batch) * time + t) * inputSize;
            lda = time * inputSize;
        }
        biasedSliceProduct(n, directInputs ? passInputs : xs, at, lda, inputSize, wIh, bias, 0, j0, j1, gateBuffer,
                gatesOff);
    }

    /** One member's units of forward step {@link #roundTime}: that step's projection first when it is per step. */
    private void forwardSlice(int member) {
        int j0 = sliceStart[member];
        int j1 = sliceStart[member + 1];
        if (projectPerStep) {
            // every row, finished sequences too, as the projection of all steps would
            projectRows(roundTime * batch, batch, j0, j1, gateOffset(roundTime));
        }
        stepForwardSlice(roundTime, 0, roundRows, j0, j1);
    }

    /**
     * For a cell that does not {@linkplain #slicedBackward() backpropagate in slices}, rows {@code [0, rows)}:
     * turns {@link #dStates} (gradients with respect to the states after step {@code t}) into the gradients of
     * step {@code t}'s pre-activations (into {@link #dGates}) and of the states before it (back into
     * {@link #dStates}), recurrent products included.
     */
    protected void stepBackward(int t, int rows) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " backpropagates in slices");
    }

    /** Clears the cell's own gradient buffers before a backward pass. */
    protected void clearBackward() {
    }

    /**
     * For a cell that does not {@linkplain #slicedBackward() backpropagate in slices}: adds the gradients of
     * {@code weight_hh} and {@code bias_hh} over all steps. (Sliced cells get {@code Dᵀ·h_{t-1}} and the column
     * sums of D, D = {@link #recurrentProductGradients()}.)
     */
    protected void accumulateRecurrentGradients() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " backpropagates in slices");
    }

    /** Packs B ([k][n]) into {@code buffer}, or into a larger one that it returns when it does not fit. */
    private float[] packed(float[] buffer, int k, int n, float[] b, int bOff, int ldb) {
        int size = matrix.packedSize(k, n);
        float[] out = buffer.length >= size ? buffer : new float[size];
        matrix.pack(false, k, n, b, bOff, ldb, out, 0);
        return out;
    }

    /** The column of ones used to sum gradient rows ({@code [T*B]}). */
    protected final float[] ones() {
        return ones;
    }

    /** Number of sequences still running at step {@code t} (they are rows {@code [0, n)}). */
    protected final int activeRows(int t) {
        return active[t];
    }

    /** Offset of step {@code t} in a {@code [T(+1)][B][H]} buffer. */
    protected final int stateOffset(int t) {
        return t * batch * hidden;
    }

    /**
     * Offset of step {@code t}'s gate rows in {@link #gateBuffer} (and in a cell's own {@code [T][B][G*H]}
     * caches): its place in {@code [T][B][G*H]}, or 0 in an {@linkplain #infer inference pass} that projects
     * its inputs step by step, which needs one step's rows only.
     */
    protected final int gateOffset(int t) {
        return t * gateStride;
    }

    /**
     * Offset of step {@code t} in a cell's {@code [T][B][H]} cache that only backward reads: its
     * {@linkplain #stateOffset place}, or 0 in an {@linkplain #infer inference pass}, which overwrites one
     * step's rows.
     */
    protected final int cacheOffset(int t) {
        return keeping ? stateOffset(t) : 0;
    }

    // ---- bookkeeping ------------------------------------------------------------------------------------

    private void validateForward(float[] x, int batch, int time, int[] lengths, float[] h0, float[] c0) {
        String who = parameters.owner();
        if (batch < 1 || time < 1) {
            throw new IllegalArgumentException(who + ": batch and time must be >= 1, found batch=" + batch
                    + " time=" + time);
        }
        long expected = (long) batch * time * inputSize;
        Objects.requireNonNull(x, "x");
        if (x.length != expected) {
            throw new IllegalArgumentException(who + ": x must be [batch=" + batch + "][time=" + time
                    + "][inputSize=" + inputSize + "] = " + expected + " values, found " + x.length);
        }
        Sequences.checkLengths(who, lengths, batch, time);
        requireLength("h0", h0, batch * hidden);
        if (stateCount > 1) {
            requireLength("c0", c0, batch * hidden);
        } else if (c0 != null) {
            throw new IllegalArgumentException(who + ": c0 must be null, this cell has no cell state");
        }
        if (checkFinite) {
            for (int b = 0; b < batch; b++) {
                int n = (lengths == null ? time : lengths[b]) * inputSize;
                requireFinite("x", x, b * time * inputSize, n);
            }
            if (h0 != null) {
                requireFinite("h0", h0, 0, h0.length);
            }
            if (c0 != null) {
                requireFinite("c0", c0, 0, c0.length);
            }
        }
    }

    private void requireFinite(String name, float[] a, int off, int n) {
        if (Double.isFinite(vectors.sumOfSquares(n, a, off))) {
            return;
        }
        for (int i = off; i < off + n; i++) {
            if (!Float.isFinite(a[i])) {
                throw new IllegalArgumentException(parameters.owner() + ": " + name + "[" + i
                        + "] must be finite, found " + a[i]);
            }
        }
    }

    /** Accepts null (the caller's "zeros"); otherwise requires {@code expected} values. */
    private void requireLength(String name, float[] a, int expected) {
        if (a != null && a.length != expected) {
            throw new IllegalArgumentException(parameters.owner() + ": " + name + " must have " + expected
                    + " values, found " + a.length);
        }
    }

    private void ensureWorkspace(int newBatch, int newTime) {
        if (newBatch == batch && newTime == time) {
            return;
        }
        batch = newBatch;
        time = newTime;
        int rows = batch * time;
        xs = new float[rows * inputSize];
        dxs = new float[rows * inputSize];
        dInput = new float[rows * inputSize];
        gateBuffer = new float[rows * gateWidth];
        dGates = new float[rows * gateWidth];
        bias = new float[gateWidth];
        ones = new float[rows];
        Arrays.fill(ones, 1f);
        states = new float[stateCount][(time + 1) * batch * hidden];
        dStates = new float[stateCount][batch * hidden];
        finalStates = new float[stateCount][batch * hidden];
        dInitialStates = new float[stateCount][batch * hidden];
        output = new float[outputMode == OutputMode.SEQUENCE ? rows * hidden : batch * hidden];
        perm = new int[batch];
        rank = new int[batch];
        lengthOf = new int[batch];
        active = new int[time];
        allocateCell();
    }

    /** Sorts rows by length, longest first (stable), and counts the active rows of each step. */
    private void order(int[] lengths) {
        for (int b = 0; b < batch; b++) {
            lengthOf[b] = lengths == null ? time : lengths[b];
        }
        // counting sort by descending length keeps equal lengths in batch order
        int r = 0;
        for (int len = time; len >= 1; len--) {
            for (int b = 0; b < batch; b++) {
                if (lengthOf[b] == len) {
                    perm[r++] = b;
                }
            }
        }
        for (int i = 0; i < batch; i++) {
            rank[perm[i]] = i;
        }
        for (int t = 0; t < time; t++) {
            int n = 0;
            while (n < batch && lengthOf[perm[n]] > t) {
                n++;
            }
            active[t] = n;
        }
    }

    /**
     * Copies rows {@code [r0, r1)} of step t's inputs into {@link #xs} (time-major, in length order; zeros past
     * a sequence's length).
     */
    private void gatherRows(int t, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int dst = (t * batch + r) * inputSize;
            if (t < lengthOf[perm[r]]) {
                System.arraycopy(passInputs, (perm[r] * time + t) * inputSize, xs, dst, inputSize);
            } else {
                Arrays.fill(xs, dst, dst + inputSize, 0f);
            }
        }
    }

    /** Copies a {@code [B][H]} tensor in batch order into the first rows of {@code dst} in length order (null: zeros). */
    private void loadRows(float[] src, float[] dst) {
        for (int r = 0; r < batch; r++) {
            if (src == null) {
                Arrays.fill(dst, r * hidden, (r + 1) * hidden, 0f);
            } else {
                System.arraycopy(src, perm[r] * hidden, dst, r * hidden, hidden);
            }
        }
    }

    private void writeOutputs() {
        int last = stateOffset(time);
        for (int s = 0; s < stateCount; s++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(states[s], last + rank[b] * hidden, finalStates[s], b * hidden, hidden);
            }
        }
        // a sequence output was written step by step (writeStepOutput)
        if (outputMode == OutputMode.LAST) {
            System.arraycopy(finalStates[0], 0, output, 0, batch * hidden);
        }
    }
}
