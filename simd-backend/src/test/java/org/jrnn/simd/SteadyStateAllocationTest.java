package org.jrnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every element-wise kernel, called until C2 has compiled it, allocates nothing per call, at a hidden size that
 * is a multiple of every vector length (128) and at one that leaves a partial last vector at every width (101),
 * batch 1 and 64 ({@link SteadyStateProgram}, in a JVM of its own per width). A kernel whose vectors or masks C2
 * leaves as objects (a helper it did not inline, a mask merged from two paths, a method C1 could not compile at
 * its profiling tier) allocates on every call: before the kernels were written as whole vectors plus a tail,
 * every gate kernel did so at hidden 101, and C2's code for three of them stopped the JVM with a fatal error,
 * which this test reports as the program's exit status and output.
 */
class SteadyStateAllocationTest {

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void kernelsAllocateNothingOnceCompiled(int bits) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:ErrorFile=target/hs_err_steady_state_%p.log",
                "-cp", System.getProperty("java.class.path"),
                SteadyStateProgram.class.getName(), Integer.toString(bits));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished, "the kernel program at " + bits + " bits did not finish in 10 minutes:\n" + output);
        assertEquals(0, process.exitValue(), "the kernel program at " + bits + " bits failed:\n" + output);
        assertTrue(output.contains("DONE"), output);
        assertFalse(output.contains("ALLOCATING"), "kernels still allocating after "
                + SteadyStateProgram.PATIENCE_SECONDS + " s of calls:\n" + output);
    }
}
