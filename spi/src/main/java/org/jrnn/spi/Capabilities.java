package org.jrnn.spi;

/**
 * What a backend reports about itself once it is created.
 *
 * @param name           the backend's name, as used by {@code jrnn.backend}
 * @param vectorBits     the vector width its kernels use, in bits ({@code 32} for scalar code)
 * @param fma            whether its kernels use fused multiply-add
 * @param jdkVersion     the feature version of the running JDK
 * @param threads        the threads one call of its kernels runs on (1: the calling thread only). A layer's own
 *                       threads, which split its work and call the kernels from each of them
 *                       ({@code RecurrentLayer.threads}, {@code -Djrnn.threads}), are not counted here.
 */
public record Capabilities(String name, int vectorBits, boolean fma, int jdkVersion, int threads) {
    /** One line for a log: {@code name=simd vector=512 bits fma=yes jdk=25 kernel-threads=1}. */
    public String describe() {
        return "name=" + name + " vector=" + vectorBits + " bits fma=" + (fma ? "yes" : "no")
                + " jdk=" + jdkVersion + " kernel-threads=" + threads;
    }
}
