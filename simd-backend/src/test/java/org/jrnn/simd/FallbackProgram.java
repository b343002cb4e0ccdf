package org.jrnn.simd;

import org.jrnn.spi.Backends;

/** Started by {@link SimdFallbackTest} in a JVM without the incubator module: prints the chosen backend. */
public final class FallbackProgram {
    private FallbackProgram() {
    }

    public static void main(String[] args) {
        System.out.println("selected=" + Backends.get().name());
    }
}
