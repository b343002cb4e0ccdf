package org.jrnn.spi;

/**
 * Vector operations that training needs, over contiguous vectors of length {@code n}.
 *
 * <p><b>Accuracy.</b> {@code axpy}, {@code scale}, {@code multiply}, {@code momentum}, {@code rmsProp} and
 * {@code adam} round each element once per float operation the formula shows (an FMA may merge two);
 * {@code clamp} is exact. {@code dot} is within {@code (n + 2)·u·Σ|xᵢyᵢ|} of
 * the exact value ({@code u = 2⁻²⁴}); {@code sumOfSquares} accumulates in double and is within
 * {@code (n + 2)·2⁻⁵³·Σxᵢ²}.
 */
public interface VectorOps {
    /** {@code y[i] += alpha·x[i]}. y may alias x. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** {@code x[i] *= alpha}. */
    void scale(int n, float alpha, float[] x, int xOff);

    /** {@code Σ x[i]·y[i]}, accumulated in float. */
    float dot(int n, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@code Σ x[i]²}, accumulated in double so that it neither overflows for any finite float input nor
     * loses small terms; NaN or infinite when any element is. Used for gradient-norm clipping and for
     * finiteness checks.
     */
    double sumOfSquares(int n, float[] x, int xOff);

    /**
     * One fused Adam step (Kingma and Ba, 2015), with optional decoupled weight decay (AdamW), over
     * parameters {@code p}, gradients {@code g} and moments {@code m}, {@code v}:
     * <pre>
     *   m[i] = beta1·m[i] + (1 - beta1)·g[i]
     *   v[i] = beta2·v[i] + (1 - beta2)·g[i]²
     *   p[i] -= lr·( (m[i] / correction1) / (sqrt(v[i] / correction2) + eps) + weightDecay·p[i] )
     * </pre>
     * where {@code correction1 = 1 - beta1^t} and {@code correction2 = 1 - beta2^t} for step {@code t >= 1}
     * are passed in by the caller. {@code g} is read only. None of the four arrays may overlap another.
     */
    void adam(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
              float correction1, float correction2,
              float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff);

    /** {@code y[i] *= x[i]} (element-wise product). y may alias x. */
    void multiply(int n, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@code x[i] = min(max(x[i], lo), hi)}; NaN stays NaN. Used for gradient clipping by value.
     *
     * @throws IllegalArgumentException unless {@code lo <= hi}
     */
    void clamp(int n, float lo, float hi, float[] x, int xOff);

    /**
     * One fused step of SGD with momentum, PyTorch's form, with optional L2 weight decay and Nesterov's
     * variant, over parameters {@code p}, gradients {@code g} and velocity {@code u}:
     * <pre>
     *   d    = g[i] + weightDecay·p[i]
     *   u[i] = mu·u[i] + d
     *   p[i] -= lr·(nesterov ? d + mu·u[i] : u[i])
     * </pre>
     * With {@code mu = 0} this is plain SGD. {@code g} is read only; no two arrays may overlap.
     */
    void momentum(int n, float lr, float mu, boolean nesterov, float weightDecay,
                  float[] p, int pOff, float[] g, int gOff, float[] u, int uOff);

    /**
     * One fused RMSProp step (Hinton's lecture 6e, PyTorch's form without momentum) over parameters
     * {@code p}, gradients {@code g} and the running mean square {@code s}:
     * <pre>
     *   d    = g[i] + weightDecay·p[i]
     *   s[i] = rho·s[i] + (1 - rho)·d²
     *   p[i] -= lr·d / (sqrt(s[i]) + eps)
     * </pre>
     * {@code g} is read only; no two arrays may overlap.
     */
    void rmsProp(int n, float lr, float rho, float eps, float weightDecay,
                 float[] p, int pOff, float[] g, int gOff, float[] s, int sOff);
}
