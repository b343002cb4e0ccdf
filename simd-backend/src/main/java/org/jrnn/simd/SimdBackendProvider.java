package org.jrnn.simd;

import java.lang.management.ManagementFactory;
import org.jrnn.spi.Backend;
import org.jrnn.spi.BackendProvider;
import org.jrnn.spi.Probe;

/**
 * Registers {@link SimdBackend} under the name {@value SimdBackend#NAME} with priority 100, so the registry
 * prefers it to the scalar backend wherever it can run.
 *
 * <p>The probe touches no Vector API class until it has seen the {@code jdk.incubator.vector} module in
 * the boot layer; it also requires JDK 25 or later, a HotSpot server VM whose C2 compiler is on (the
 * Vector API is only fast when C2 compiles it), and a preferred vector width of at least 128 bits.
 *
 * <p>The width is the CPU's preferred one, capped at 512 bits; {@code -Djrnn.simd.bits=128|256|512}
 * chooses another.
 */
public final class SimdBackendProvider implements BackendProvider {
    /** System property that selects the vector width: 128, 256 or 512. */
    public static final String BITS_PROPERTY = "jrnn.simd.bits";

    private static final String MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return SimdBackend.NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Probe probe() {
        int feature = Runtime.version().feature();
        if (feature < 25) {
            return Probe.unavailable("the JDK is version " + feature + "; the kernels are written for the Vector API"
                    + " of JDK 25 or later", "run on JDK 25 or later");
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return Probe.unavailable("module " + MODULE + " is not in the boot layer",
                    "start java with --add-modules " + MODULE);
        }
        String vm = System.getProperty("java.vm.name", "");
        if (!vm.contains("Server VM")) {
            return Probe.unavailable("the JVM is '" + vm + "', not a HotSpot server VM with the C2 compiler",
                    "run on a HotSpot JDK such as Temurin or OpenJDK");
        }
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return Probe.unavailable("the JVM runs in interpreted mode (-Xint), where Vector API code is"
                    + " hundreds of times slower than scalar code", "remove -Xint");
        }
        String compilerProblem = compilerProblem();
        if (compilerProblem != null) {
            return Probe.unavailable(compilerProblem, "remove the option");
        }
        String bits = System.getProperty(BITS_PROPERTY);
        if (bits != null && !(bits.equals("128") || bits.equals("256") || bits.equals("512"))) {
            return Probe.unavailable("-D" + BITS_PROPERTY + "=" + bits + " is not a supported width",
                    "set it to 128, 256 or 512, or leave it out for the CPU's preferred width");
        }
        int preferred = VectorWidths.preferred();
        if (bits == null && preferred < 128) {
            return Probe.unavailable("the CPU's preferred vector is " + preferred + " bits; the kernels need 128 or"
                    + " more", "use the scalar backend, or force a width with -D" + BITS_PROPERTY + "=128");
        }
        return Probe.available();
    }

    /** Reports a VM option that keeps C2 from compiling the kernels, or null. */
    private static String compilerProblem() {
        try {
            var diagnostics = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (diagnostics == null) {
                return null;
            }
            String level = diagnostics.getVMOption("TieredStopAtLevel").getValue();
            boolean tiered = Boolean.parseBoolean(diagnostics.getVMOption("TieredCompilation").getValue());
            if (tiered && Integer.parseInt(level) < 4) {
                return "-XX:TieredStopAtLevel=" + level + " keeps the C2 compiler off";
            }
            if (Boolean.parseBoolean(diagnostics.getVMOption("UseJVMCICompiler").getValue())) {
                return "-XX:+UseJVMCICompiler replaces C2, which the Vector API needs for speed";
            }
            return null;
        } catch (IllegalArgumentException | LinkageError | SecurityException e) {
            // An option this VM does not have, or no management module: nothing to report.
            return null;
        }
    }

    @Override
    public Backend create() {
        String bits = System.getProperty(BITS_PROPERTY);
        return bits == null ? new SimdBackend() : new SimdBackend(Integer.parseInt(bits));
    }
}
