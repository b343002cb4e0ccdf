package org.jrnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts a separate JVM (the same JDK and class path as this test) without
 * {@code --add-modules jdk.incubator.vector}: the program must run on the scalar backend and log one warning
 * that names the reason and the fix, instead of failing with {@code NoClassDefFoundError}.
 */
class SimdFallbackTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(List.of(jvmOptions));
        command.add(FallbackProgram.class.getName());
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the forked JVM did not finish");
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheModuleTheScalarBackendRunsAndOneWarningSaysWhy() throws Exception {
        Run run = run();
        assertEquals(0, run.exit(), run.err());
        assertEquals("selected=scalar", run.out().strip(), run.err());
        assertTrue(run.err().contains("module jdk.incubator.vector is not in the boot layer"), run.err());
        assertTrue(run.err().contains("--add-modules jdk.incubator.vector"), run.err());
        assertEquals(1, run.err().split("WARNING", -1).length - 1, "exactly one warning: " + run.err());
    }

    @Test
    void withTheModuleTheSimdBackendRuns() throws Exception {
        Run run = run("--add-modules", "jdk.incubator.vector");
        assertEquals(0, run.exit(), run.err());
        assertEquals("selected=simd", run.out().strip(), run.err());
        assertTrue(!run.err().contains("skipped"), run.err());
    }

    @Test
    void requiringSimdWithoutTheModuleFailsLoudly() throws Exception {
        Run run = run("-Djrnn.backend.require=simd");
        assertTrue(run.exit() != 0, "must fail: " + run.out());
        assertTrue(run.err().contains("simd"), run.err());
        assertTrue(run.err().contains("--add-modules jdk.incubator.vector"), run.err());
    }
}
