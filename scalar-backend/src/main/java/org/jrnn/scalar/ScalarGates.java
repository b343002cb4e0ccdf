package org.jrnn.scalar;

import static org.jrnn.scalar.ScalarMath.sigmoid;
import static org.jrnn.scalar.ScalarMath.tanh;

import org.jrnn.spi.Arguments;
import org.jrnn.spi.Gates;
import org.jrnn.spi.RnnActivation;

/**
 * The gate steps, one hidden unit at a time, following the formulas of {@link Gates} literally. Column
 * {@code k*H + j} of a gate row is block {@code k}, unit {@code j}.
 */
class ScalarGates implements Gates {

    @Override
    public void lstmForward(int batch, int hidden,
                            float[] gates, int gatesOff, int ldGates,
                            float[] cPrev, int cPrevOff, int ldcPrev,
                            float[] c, int cOff, int ldc,
                            float[] tanhC, int tanhCOff, int ldTanhC,
                            float[] h, int hOff, int ldh) {
        Arguments.lstmForward(batch, hidden, gates, gatesOff, ldGates, cPrev, cPrevOff, ldcPrev, c, cOff, ldc,
                tanhC, tanhCOff, ldTanhC, h, hOff, ldh);
        for (int b = 0; b < batch; b++) {
            int g0 = gatesOff + b * ldGates;
            for (int j = 0; j < hidden; j++) {
                float i = sigmoid(gates[g0 + j]);
                float f = sigmoid(gates[g0 + hidden + j]);
                float g = tanh(gates[g0 + 2 * hidden + j]);
                float o = sigmoid(gates[g0 + 3 * hidden + j]);
                gates[g0 + j] = i;
                gates[g0 + hidden + j] = f;
                gates[g0 + 2 * hidden + j] = g;
                gates[g0 + 3 * hidden + j] = o;
                float cNew = f * cPrev[cPrevOff + b * ldcPrev + j] + i * g;
                float t = tanh(cNew);
                c[cOff + b * ldc + j] = cNew;
                tanhC[tanhCOff + b * ldTanhC + j] = t;
                h[hOff + b * ldh + j] = o * t;
            }
        }
    }

    @Override
    public void lstmBackward(int batch, int hidden,
                             float[] gates, int gatesOff, int ldGates,
                             float[] cPrev, int cPrevOff, int ldcPrev,
                             float[] tanhC, int tanhCOff, int ldTanhC,
                             float[] dh, int dhOff, int lddh,
                             float[] dc, int dcOff, int lddc,
                             float[] dGates, int dGatesOff, int lddGates,
                             float[] dcPrev, int dcPrevOff, int lddcPrev) {
        Arguments.lstmBackward(batch, hidden, gates, gatesOff, ldGates, cPrev, cPrevOff, ldcPrev,
                tanhC, tanhCOff, ldTanhC, dh, dhOff, lddh, dc, dcOff, lddc, dGates, dGatesOff, lddGates,
                dcPrev, dcPrevOff, lddcPrev);
        for (int b = 0; b < batch; b++) {
            int g0 = gatesOff + b * ldGates;
            int d0 = dGatesOff + b * lddGates;
            for (int j = 0; j < hidden; j++) {
                float i = gates[g0 + j];
                float f = gates[g0 + hidden + j];
                float g = gates[g0 + 2 * hidden + j];
                float o = gates[g0 + 3 * hidden + j];
                float t = tanhC[tanhCOff + b * ldTanhC + j];
                float dhj = dh[dhOff + b * lddh + j];
                float dcTotal = dc[dcOff + b * lddc + j] + dhj * o * (1f - t * t);
                dGates[d0 + j] = dcTotal * g * i * (1f - i);
                dGates[d0 + hidden + j] = dcTotal * cPrev[cPrevOff + b * ldcPrev + j] * f * (1f - f);
                dGates[d0 + 2 * hidden + j] = dcTotal * i * (1f - g * g);
                dGates[d0 + 3 * hidden + j] = dhj * t * o * (1f - o);
                dcPrev[dcPrevOff + b * lddcPrev + j] = dcTotal * f;
            }
        }
    }

    @Override
    public void gruForward(int batch, int hidden,
                           float[] gates, int gatesOff, int ldGates,
                           float[] hg, int hgOff, int ldhg,
                           float[] hPrev, int hPrevOff, int ldhPrev,
                           float[] h, int hOff, int ldh) {
        Arguments.gruForward(batch, hidden, gates, gatesOff, ldGates, hg, hgOff, ldhg, hPrev, hPrevOff, ldhPrev,
                h, hOff, ldh);
        for (int b = 0; b < batch; b++) {
            int g0 = gatesOff + b * ldGates;
            int r0 = hgOff + b * ldhg;
            for (int j = 0; j < hidden; j++) {
                float r = sigmoid(gates[g0 + j] + hg[r0 + j]);
                float z = sigmoid(gates[g0 + hidden + j] + hg[r0 + hidden + j]);
                float n = tanh(gates[g0 + 2 * hidden + j] + r * hg[r0 + 2 * hidden + j]);
                gates[g0 + j] = r;
                gates[g0 + hidden + j] = z;
                gates[g0 + 2 * hidden + j] = n;
                float hp = hPrev[hPrevOff + b * ldhPrev + j];
                h[hOff + b * ldh + j] = (1f - z) * n + z * hp;
            }
        }
    }

    @Override
    public void gruBackward(int batch, int hidden,
                            float[] gates, int gatesOff, int ldGates,
                            float[] hg, int hgOff, int ldhg,
                            float[] hPrev, int hPrevOff, int ldhPrev,
                            float[] dh, int dhOff, int lddh,
                            float[] dGates, int dGatesOff, int lddGates,
                            float[] dHg, int dHgOff, int lddHg,
                            float[] dhPrev, int dhPrevOff, int lddhPrev) {
        Arguments.gruBackward(batch, hidden, gates, gatesOff, ldGates, hg, hgOff, ldhg, hPrev, hPrevOff, ldhPrev,
                dh, dhOff, lddh, dGates, dGatesOff, lddGates, dHg, dHgOff, lddHg, dhPrev, dhPrevOff, lddhPrev);
        for (int b = 0; b < batch; b++) {
            int g0 = gatesOff + b * ldGates;
            int d0 = dGatesOff + b * lddGates;
            int e0 = dHgOff + b * lddHg;
            for (int j = 0; j < hidden; j++) {
                float r = gates[g0 + j];
                float z = gates[g0 + hidden + j];
                float n = gates[g0 + 2 * hidden + j];
                float hn = hg[hgOff + b * ldhg + 2 * hidden + j];
                float hp = hPrev[hPrevOff + b * ldhPrev + j];
                float dhj = dh[dhOff + b * lddh + j];
                float dPreN = dhj * (1f - z) * (1f - n * n);
                float dPreZ = dhj * (hp - n) * z * (1f - z);
                float dPreR = dPreN * hn * r * (1f - r);
                dGates[d0 + j] = dPreR;
                dGates[d0 + hidden + j] = dPreZ;
                dGates[d0 + 2 * hidden + j] = dPreN;
                dHg[e0 + j] = dPreR;
                dHg[e0 + hidden + j] = dPreZ;
                dHg[e0 + 2 * hidden + j] = dPreN * r;
                dhPrev[dhPrevOff + b * lddhPrev + j] = dhj * z;
            }
        }
    }

    @Override
    public void gruResetForward(int batch, int hidden,
                                float[] gates, int gatesOff, int ldGates,
                                float[] hg, int hgOff, int ldhg,
                                float[] hPrev, int hPrevOff, int ldhPrev,
                                float[] rh, int rhOff, int ldrh) {
        Arguments.gruResetForward(batch, hidden, gates, gatesOff, ldGates, hg, hgOff, ldhg,
                hPrev, hPrevOff, ldhPrev, rh, rhOff, ldrh);
        for (int b = 0; b < batch; b++) {
            int g0 = gatesOff + b * ldGates;
            int r0 = hgOff + b * ldhg;
            for (int j = 0; j < hidden; j++) {
                float r = sigmoid(gates[g0 + j] + hg[r0 + j]);
                float z = sigmoid(gates[g0 + hidden + j] + hg[r0 + hidden + j]);
                gates[g0 + j] = r;
                gates[g0 + hidden + j] = z;
                rh[rhOff + b * ldrh + j] = r * hPrev[hPrevOff + b * ldhPrev + j];
            }
        }
    }

    @Override
    public void gruCandidateForward(int batch, int hidden,
                                    float[] gates, int gatesOff, int ldGates,
                                    float[] hn, int hnOff, int ldhn,
                                    float[] hPrev, int hPrevOff, int ldhPrev,
                                    float[] h, int hOff, int ldh) {
        Arguments.gruCandidateForward(batch, hidden, gates, gatesOff, ldGates, hn, hnOff, ldhn,
                hPrev, hPrevOff, ldhPrev, h, hOff, ldh);
        for (int b = 0; b < batch; b++) {
            int g0 = gatesOff + b * ldGates;
            for (int j = 0; j < hidden; j++) {
                float z = gates[g0 + hidden + j];
                float n = tanh(gates[g0 + 2 * hidden + j] + hn[hnOff + b * ldhn + j]);
                gates[g0 + 2 * hidden + j] = n;
                float hp = hPrev[hPrevOff + b * ldhPrev + j];
                h[hOff + b * ldh + j] = (1f - z) * n + z * hp;
            }
        }
    }

    @Override
    public void gruCandidateBackward(int batch, int hidden,
                                     float[] gates, int gatesOff, int ldGates,
                                     float[] hPrev, int hPrevOff, int ldhPrev,
                                     float[] dh, int dhOff, int lddh,
                                     float[] dGates, int dGatesOff, int lddGates,
                                     float[] dhPrev, int dhPrevOff, int lddhPrev) {
        Arguments.gruCandidateBackward(batch, hidden, gates, gatesOff, ldGates, hPrev, hPrevOff, ldhPrev,
                dh, dhOff, lddh, dGates, dGatesOff, lddGates, dhPrev, dhPrevOff, lddhPrev);
        for (int b = 0; b < batch; b++) {
            int g0 = gatesOff + b * ldGates;
            int d0 = dGatesOff + b * lddGates;
            for (int j = 0; j < hidden; j++) {
                float z = gates[g0 + hidden + j];
                float n = gates[g0 + 2 * hidden + j];
                float hp = hPrev[hPrevOff + b * ldhPrev + j];
                float dhj = dh[dhOff + b * lddh + j];
                dGates[d0 + hidden + j] = dhj * (hp - n) * z * (1f - z);
                dGates[d0 + 2 * hidden + j] = dhj * (1f - z) * (1f - n * n);
                dhPrev[dhPrevOff + b * lddhPrev + j] = dhj * z;
            }
        }
    }

    @Override
    public void gruResetBackward(int batch, int hidden,
                                 float[] gates, int gatesOff, int ldGates,
                                 float[] hPrev, int hPrevOff, int ldhPrev,
                                 float[] dRh, int dRhOff, int lddRh,
                                 float[] dGates, int dGatesOff, int lddGates,
                                 float[] dhPrev, int dhPrevOff, int lddhPrev) {
        Arguments.gruResetBackward(batch, hidden, gates, gatesOff, ldGates, hPrev, hPrevOff, ldhPrev,
                dRh, dRhOff, lddRh, dGates, dGatesOff, lddGates, dhPrev, dhPrevOff, lddhPrev);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                float r = gates[gatesOff + b * ldGates + j];
                float d = dRh[dRhOff + b * lddRh + j];
                dGates[dGatesOff + b * lddGates + j] = d * hPrev[hPrevOff + b * ldhPrev + j] * r * (1f - r);
                dhPrev[dhPrevOff + b * lddhPrev + j] += d * r;
            }
        }
    }

    @Override
    public void rnnForward(RnnActivation activation, int batch, int hidden,
                           float[] pre, int preOff, int ldPre,
                           float[] h, int hOff, int ldh) {
        Arguments.rnnForward(activation, batch, hidden, pre, preOff, ldPre, h, hOff, ldh);
        boolean tanh = activation == RnnActivation.TANH;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                float v = pre[preOff + b * ldPre + j];
                h[hOff + b * ldh + j] = tanh ? tanh(v) : (v > 0f || Float.isNaN(v) ? v : 0f);
            }
        }
    }

    @Override
    public void rnnBackward(RnnActivation activation, int batch, int hidden,
                            float[] h, int hOff, int ldh,
                            float[] dh, int dhOff, int lddh,
                            float[] dPre, int dPreOff, int lddPre) {
        Arguments.rnnBackward(activation, batch, hidden, h, hOff, ldh, dh, dhOff, lddh, dPre, dPreOff, lddPre);
        boolean tanh = activation == RnnActivation.TANH;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                float y = h[hOff + b * ldh + j];
                float d = dh[dhOff + b * lddh + j];
                dPre[dPreOff + b * lddPre + j] = tanh ? d * (1f - y * y) : (y > 0f ? d : 0f);
            }
        }
    }
}
