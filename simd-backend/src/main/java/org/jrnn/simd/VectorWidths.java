package org.jrnn.simd;

import jdk.incubator.vector.FloatVector;

/**
 * The widths the backend is built for and the one this CPU prefers. Kept apart from the provider: loading
 * this class needs the {@code jdk.incubator.vector} module, so the provider calls it only after its probe
 * found the module.
 */
final class VectorWidths {
    private VectorWidths() {
    }

    /** The width of {@code FloatVector.SPECIES_PREFERRED} in bits. */
    static int preferred() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** The kernels for {@code bits}: 128, 256 or 512. */
    static WidthKernels kernels(int bits) {
        return switch (bits) {
            case 128 -> new SimdKernels128();
            case 256 -> new SimdKernels256();
            case 512 -> new SimdKernels512();
            default -> throw new IllegalArgumentException(
                    "vector width must be 128, 256 or 512 bits, found " + bits);
        };
    }
}
