package org.jrnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * <p>
 * The test also reads the compilation log ({@code -XX:+PrintCompilation}) and fails when a compiler gave up on a
 * kernel: the momentum update, its four loops in one method, was too large for C1 at its profiling tier ("out of
 * virtual registers"), and ran in the interpreter, boxing every vector, until C2 compiled it.
 */
class SteadyStateAllocationTest {
    /** A line of {@code -XX:+PrintCompilation}: time stamp, compile id. */
    private static final Pattern COMPILATION_LINE = Pattern.compile("^\\s*\\d+\\s+\\d+\\s");

    @ParameterizedTest(name = "{0} bits, type profiles {1}")
    @CsvSource({"128, true", "256, true", "512, true", "128, false", "256, false", "512, false"})
    void kernelsAllocateNothingOnceCompiled(int bits, boolean typeProfiles) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:ErrorFile=target/hs_err_steady_state_%p.log",
                typeProfiles ? "-XX:+UseTypeProfile" : "-XX:-UseTypeProfile", "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"),
                SteadyStateProgram.class.getName(), Integer.toString(bits));
        String run = bits + " bits" + (typeProfiles ? "" : " without type profiles");
        // to a file (kept in target/), as the compilation log would fill a pipe nobody reads while the program runs
        Path log = Path.of("target", "steady-state-" + bits + (typeProfiles ? "" : "-no-type-profile") + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        // the program's own lines and the JVM's, without the compilation log
        String shown = lines.stream().filter(line -> !COMPILATION_LINE.matcher(line).find())
                .collect(Collectors.joining("\n"));
        assertTrue(finished, "the kernel program at " + run + " did not finish in 10 minutes:\n" + shown);
        assertEquals(0, process.exitValue(), "the kernel program at " + run + " failed:\n" + shown);
        assertTrue(lines.stream().anyMatch(line -> line.contains("DONE")), shown);
        List<String> allocating = lines.stream().filter(line -> line.contains("ALLOCATING")).toList();
        assertTrue(allocating.isEmpty(), "kernels at " + run + " still allocating after "
                + SteadyStateProgram.PATIENCE_SECONDS + " s of calls:\n" + String.join("\n", allocating));
        // a kernel one of the compilers gave up on runs in the interpreter or at a lower tier meanwhile (boxing
        // every vector); "concurrent class loading" is a transient reason, retried at once
        List<String> skipped = lines.stream()
                .filter(line -> line.contains("SimdKernels") && line.contains("COMPILE SKIPPED")
                        && !line.contains("concurrent class loading"))
                .toList();
        assertTrue(skipped.isEmpty(), "kernels at " + run + " that a compiler gave up on:\n"
                + String.join("\n", skipped));
    }
}
