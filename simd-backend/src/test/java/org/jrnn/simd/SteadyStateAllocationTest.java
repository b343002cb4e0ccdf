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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every element-wise kernel, called until C2 has compiled it, allocates nothing per call, at a hidden size that
 * is a multiple of every vector length (128) and at one that leaves a partial last vector at every width (101),
 * batch 1 and 64 ({@link SteadyStateProgram}, in a JVM of its own per width). A kernel whose vectors or masks C2
 * leaves as objects (a helper it did not inline, a mask merged from two paths, a method C1 could not compile at
 * its profiling tier) allocates on every call: before the kernels were written as whole vectors plus a tail,
 * every gate kernel did so at hidden 101, and C2's code for three of them stopped the JVM with a fatal error,
 * which this test reports as the program's exit status and output.
 * <p>
 * Each width runs twice: as the JVM runs by default, and with {@code -XX:-UseTypeProfile}, where C2 does not use
 * the receiver types recorded at call sites. Most Vector API methods a kernel calls are virtual (declared on
 * {@code FloatVector}); C2 binds them to the species' class from the type it proves for the receiver or, failing
 * that, from the recorded profile. The profile is not always there: in 2 of some 30 runs of the program, a row
 * loop that C1 had compiled at its tier without profiling (as it does while C2 has a queue) was inlined into the
 * softmax with no record of its receivers, and its {@code max = max.max(v)}, whose receiver is the value carried
 * from the previous iteration (a type C2 did not prove), became a call on boxed vectors: 80-104 KB per batch-64
 * call, to the end of the run. The kernels' loops therefore call no method on the vector they carry from one
 * iteration to the next (they write {@code v.max(max)}), and the run without type profiles checks that nothing
 * else depends on them.
 */
class SteadyStateAllocationTest {

    @ParameterizedTest(name = "{0} bits, type profiles {1}")
    @CsvSource({"128, true", "256, true", "512, true", "128, false", "256, false", "512, false"})
    void kernelsAllocateNothingOnceCompiled(int bits, boolean typeProfiles) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:ErrorFile=target/hs_err_steady_state_%p.log",
                typeProfiles ? "-XX:+UseTypeProfile" : "-XX:-UseTypeProfile",
                "-cp", System.getProperty("java.class.path"),
                SteadyStateProgram.class.getName(), Integer.toString(bits));
        String run = bits + " bits" + (typeProfiles ? "" : " without type profiles");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished, "the kernel program at " + run + " did not finish in 10 minutes:\n" + output);
        assertEquals(0, process.exitValue(), "the kernel program at " + run + " failed:\n" + output);
        assertTrue(output.contains("DONE"), output);
        assertFalse(output.contains("ALLOCATING"), "kernels at " + run + " still allocating after "
                + SteadyStateProgram.PATIENCE_SECONDS + " s of calls:\n" + output);
    }
}
