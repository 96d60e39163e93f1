package dev.psa.api;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which path may use ND4J's oneDNN helpers. ND4J 1.0.0-M2.1's oneDNN builds ({@code nd4j-native}
 * classifiers {@code linux-x86_64-onednn*}) run plain convolutions about 2.5× faster than its own
 * im2col kernels but fail on every dilated convolution ("could not create a descriptor for a dilated
 * convolution forward propagation primitive": the helper computes the right padding from the
 * undilated kernel size). SameDiff graphs (training, and inference without an eager path) contain
 * dilated convolutions, so with a oneDNN build they run with the helpers off, i.e. exactly like the
 * default build; the eager path, which never asks for a dilated convolution, turns them on for its
 * own calls. With any other build (default CPU, CUDA) nothing is changed.
 */
public final class NativeHelpers {
    /** JavaCPP's property that selects an nd4j-native build by its classifier suffix, e.g. {@code -onednn}. */
    public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private static final Logger LOG = LoggerFactory.getLogger(NativeHelpers.class);
    private static final Object LOCK = new Object();
    private static boolean configured;
    private static boolean onednn;

    private NativeHelpers() {
    }

    /**
     * Call before building or running SameDiff graphs (idempotent, cheap after the first call): with a
     * oneDNN build, turns its helpers off for everything but the eager path.
     */
    public static void forGraphs() {
        synchronized (LOCK) {
            if (configured) {
                return;
            }
            Environment env = Nd4j.getEnvironment();
            // by the property psa-cli's NativeBuild sets, or by the loaded library's build flags: with
            // several nd4j-native builds on the class path JavaCPP may load a oneDNN one unasked
            onednn = env.isCPU() && (System.getProperty(PLATFORM_EXTENSION, "").contains("onednn")
                    || buildInfo().contains("HAVE_ONEDNN"));
            if (onednn) {
                env.allowHelpers(false);
                LOG.info("ND4J oneDNN build: oneDNN helpers on for eager inference only (SameDiff graphs use "
                        + "ND4J's own kernels: its oneDNN helper cannot run dilated convolutions)");
            }
            configured = true;
        }
    }

    /** The loaded native library's build information (ND4J's NativeOps.buildInfo), "" if unavailable. */
    private static String buildInfo() {
        try {
            Object holder = Class.forName("org.nd4j.nativeblas.NativeOpsHolder").getMethod("getInstance").invoke(null);
            Object ops = holder.getClass().getMethod("getDeviceNativeOps").invoke(holder);
            Object info = ops.getClass().getMethod("buildInfo").invoke(ops);
            return info == null ? "" : info.toString();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "";
        }
    }

    /** Whether a oneDNN build is loaded (after {@link #forGraphs}). */
    public static boolean onednn() {
        forGraphs();
        synchronized (LOCK) {
            return onednn;
        }
    }

    /** Runs {@code work} with the oneDNN helpers allowed; one such call at a time in the process. */
    public static <T> T eager(Supplier<T> work) {
        forGraphs();
        synchronized (LOCK) {
            if (!onednn) {
                return work.get();
            }
            Environment env = Nd4j.getEnvironment();
            env.allowHelpers(true);
            try {
                return work.get();
            } finally {
                env.allowHelpers(false);
            }
        }
    }
}
