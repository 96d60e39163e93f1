package dev.psa.cli.nd4j;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the nd4j-native build for this CPU at start-up. The distribution carries ND4J's generic
 * {@code linux-x86_64} build and its oneDNN builds; JavaCPP loads the one named by the system property
 * {@value #PROPERTY} (a classifier suffix such as {@code -onednn-avx512}) when that build's libraries
 * are on the class path, else the generic one. {@link #select} sets the property from
 * {@code /proc/cpuinfo} before ND4J loads: the first build of the list for the CPU that is present.
 * A value the user set ({@code -D} or {@code PSA_JAVA_OPTS}) is kept, and nothing is chosen when
 * nd4j-native is not on the class path (the CUDA backend, {@code -Pcuda}) or the platform is not
 * linux-x86_64.
 */
public final class NativeBuild {
    /** JavaCPP's property selecting a build by classifier suffix. */
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** Where each nd4j-native build keeps its libraries: this + platform + extension + '/'. */
    static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";
    static final String PLATFORM = "linux-x86_64";
    private static final Logger LOG = LoggerFactory.getLogger(NativeBuild.class);
    private static final List<String> AVX512 = List.of("avx512f", "avx512bw", "avx512dq", "avx512vl");
    private static final List<String> AVX2 = List.of("avx2", "fma");

    /**
     * What was chosen.
     *
     * @param extension the classifier suffix set (e.g. {@code -onednn-avx512}, "" for the generic
     *                  build), or null when nothing was set
     * @param line      the log line naming the build and why
     */
    public record Choice(String extension, String line) {
    }

    private NativeBuild() {
    }

    /** Chooses, sets {@value #PROPERTY} if needed and logs the choice. Call before any ND4J class loads. */
    public static Choice select() {
        Choice c = choose(System.getProperty(PROPERTY), System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""), cpuFlags(Path.of("/proc/cpuinfo")),
                ext -> NativeBuild.class.getClassLoader().getResource(BINDINGS + PLATFORM + ext + "/") != null);
        if (c.extension() != null && System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, c.extension());
        }
        LOG.info(c.line());
        return c;
    }

    /**
     * The builds to try on a CPU, fastest first: oneDNN (its convolutions are about 2.5× ND4J's own
     * here; oneDNN itself picks AVX-512/AVX2 kernels at run time) in the CPU-specific variant, then the
     * plain CPU-specific builds, then generic.
     */
    static List<String> candidates(Set<String> flags) {
        if (flags.containsAll(AVX512)) {
            return List.of("-onednn-avx512", "-onednn-avx2", "-onednn", "-avx512", "-avx2", "");
        }
        if (flags.containsAll(AVX2)) {
            return List.of("-onednn-avx2", "-onednn", "-avx2", "");
        }
        return List.of("-onednn", "");
    }

    /**
     * @param userSetting the property's current value, null if unset
     * @param present     whether a build's libraries (by extension, "" = generic) are on the class path
     */
    static Choice choose(String userSetting, String osName, String osArch, Set<String> flags,
                         Predicate<String> present) {
        requireNonNull(flags, "flags is null");
        requireNonNull(present, "present is null");
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux") || !Set.of("amd64", "x86_64").contains(osArch)) {
            return new Choice(null, "ND4J native build: JavaCPP's default (platform " + osName + "/" + osArch
                    + ", builds are chosen for linux-x86_64 only)");
        }
        if (!present.test("")) {
            return new Choice(null, "ND4J native build: not chosen (nd4j-native is not on the class path, "
                    + "e.g. the CUDA backend)");
        }
        if (userSetting != null) {
            return new Choice(userSetting, "ND4J native build: " + PLATFORM + userSetting + " (set by -D" + PROPERTY
                    + (present.test(userSetting) ? "" : "; not on the class path, so JavaCPP loads " + PLATFORM) + ")");
        }
        for (String ext : candidates(flags)) {
            if (present.test(ext)) {
                return new Choice(ext, "ND4J native build: " + PLATFORM + ext + " (" + cpuWords(flags)
                        + "; -D" + PROPERTY + "=... overrides)");
            }
        }
        return new Choice("", "ND4J native build: " + PLATFORM);
    }

    private static String cpuWords(Set<String> flags) {
        if (flags.isEmpty()) {
            return "CPU features unknown";
        }
        if (flags.containsAll(AVX512)) {
            return "CPU has " + String.join(" ", AVX512);
        }
        if (flags.containsAll(AVX2)) {
            return "CPU has avx2 fma, no AVX-512";
        }
        return "CPU has neither AVX2+FMA nor AVX-512";
    }

    /** The {@code flags} of the first processor in a {@code /proc/cpuinfo}; empty if unreadable. */
    static Set<String> cpuFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags") && line.contains(":")) {
                    return new HashSet<>(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
        return Set.of();
    }
}
