package org.jrnn.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops training when the validation loss (or the training loss, without validation data) has not improved by
 * more than {@code minDelta} for {@code patience} epochs, and optionally restores the parameters of the best
 * epoch at the end.
 */
public final class EarlyStopping implements TrainingListener {
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch = -1;
    private int waited;
    private List<float[]> snapshot;

    public EarlyStopping(int patience, double minDelta, boolean restoreBest) {
        if (patience < 1 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("early stopping: need patience >= 1 and minDelta >= 0, found patience="
                    + patience + " minDelta=" + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch epoch) {
        double loss = Double.isNaN(epoch.validationLoss()) ? epoch.trainingLoss() : epoch.validationLoss();
        if (loss < best - minDelta) {
            best = loss;
            bestEpoch = epoch.epoch();
            waited = 0;
            if (restoreBest) {
                snapshot = new ArrayList<>();
                for (Parameters p : trainer.model().allParameters()) {
                    snapshot.add(p.values().clone());
                }
            }
        } else if (++waited >= patience) {
            trainer.requestStop();
        }
    }

    @Override
    public void onEnd(Trainer trainer) {
        if (restoreBest && snapshot != null) {
            List<Parameters> all = trainer.model().allParameters();
            for (int i = 0; i < all.size(); i++) {
                System.arraycopy(snapshot.get(i), 0, all.get(i).values(), 0, snapshot.get(i).length);
            }
        }
    }

    /** The best loss seen, or +∞. */
    public double best() {
        return best;
    }

    /** The epoch of the best loss, or −1. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
