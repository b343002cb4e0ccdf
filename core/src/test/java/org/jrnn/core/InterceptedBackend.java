package org.jrnn.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.jrnn.spi.Activations;
import org.jrnn.spi.Backend;
import org.jrnn.spi.Capabilities;
import org.jrnn.spi.Gates;
import org.jrnn.spi.MatrixOps;
import org.jrnn.spi.VectorOps;

/**
 * A backend that passes every call on to another and calls a hook after each call of its matrix products or of
 * its gate steps: for tests that count or corrupt what a layer asks of its backend.
 */
final class InterceptedBackend {
    /** Called after each intercepted call returns, with the method's name and its arguments. */
    interface Hook {
        void after(String method, Object[] args);
    }

    private InterceptedBackend() {
    }

    /** {@code base} with its {@link MatrixOps} intercepted. */
    static Backend matrix(Backend base, Hook hook) {
        return with(base, intercept(MatrixOps.class, base.matrix(), hook), base.gates());
    }

    /** {@code base} with its {@link Gates} intercepted. */
    static Backend gates(Backend base, Hook hook) {
        return with(base, base.matrix(), intercept(Gates.class, base.gates(), hook));
    }

    private static <T> T intercept(Class<T> type, T inner, Hook hook) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, m, args) -> {
                    Object result;
                    try {
                        result = m.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    hook.after(m.getName(), args);
                    return result;
                }));
    }

    /** A backend made of the given parts (the accessors of {@link Backend} are the record's components). */
    private record Parts(Capabilities capabilities, MatrixOps matrix, Activations activations, Gates gates,
                         VectorOps vectors) implements Backend {
    }

    private static Backend with(Backend base, MatrixOps matrix, Gates gates) {
        return new Parts(base.capabilities(), matrix, base.activations(), gates, base.vectors());
    }
}
