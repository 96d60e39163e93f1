package dev.psa.cli.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBuildTest {
    private static final Set<String> AVX512 = Set.of("fpu", "sse2", "avx", "avx2", "fma", "avx512f", "avx512bw",
            "avx512dq", "avx512vl", "avx512cd");
    private static final Set<String> AVX2 = Set.of("fpu", "sse2", "avx", "avx2", "fma");

    private static NativeBuild.Choice choose(Set<String> flags, String... present) {
        Set<String> p = Set.of(present);
        return NativeBuild.choose(null, "Linux", "amd64", flags, p::contains);
    }

    @Test
    void theFastestBuildPresentForTheCpuIsChosen() {
        assertThat(choose(AVX512, "", "-onednn", "-onednn-avx512").extension()).isEqualTo("-onednn-avx512");
        assertThat(choose(AVX512, "", "-onednn").extension()).isEqualTo("-onednn");
        assertThat(choose(AVX512, "", "-avx512").extension()).isEqualTo("-avx512");
        assertThat(choose(AVX2, "", "-onednn", "-onednn-avx512").extension()).as("no AVX-512 build on an AVX2 CPU")
                .isEqualTo("-onednn");
        assertThat(choose(AVX2, "", "-onednn-avx2", "-onednn").extension()).isEqualTo("-onednn-avx2");
        assertThat(choose(Set.of("fpu", "sse2"), "", "-onednn", "-onednn-avx512", "-avx2").extension())
                .isEqualTo("-onednn");
        assertThat(choose(Set.of(), "", "-onednn-avx512").extension()).as("flags unknown: generic").isEqualTo("");
        NativeBuild.Choice c = choose(AVX512, "", "-onednn-avx512");
        assertThat(c.line()).startsWith("ND4J native build: linux-x86_64-onednn-avx512 (CPU has avx512f avx512bw");
    }

    @Test
    void avx512NeedsAllFourSubsets() {
        Set<String> noVl = Set.of("avx2", "fma", "avx512f", "avx512bw", "avx512dq");
        assertThat(choose(noVl, "", "-onednn-avx512", "-onednn-avx2").extension()).isEqualTo("-onednn-avx2");
    }

    @Test
    void aUserSettingIsKeptAndCudaOrOtherPlatformsAreLeftAlone() {
        assertThat(NativeBuild.choose("-avx2", "Linux", "amd64", AVX512, e -> true).extension()).isEqualTo("-avx2");
        NativeBuild.Choice missing = NativeBuild.choose("-onednn-avx512", "Linux", "amd64", AVX512, ""::equals);
        assertThat(missing.line()).contains("not on the class path, so JavaCPP loads linux-x86_64");
        NativeBuild.Choice cuda = NativeBuild.choose(null, "Linux", "amd64", AVX512, e -> false);
        assertThat(cuda.extension()).isNull();
        assertThat(cuda.line()).contains("CUDA");
        assertThat(NativeBuild.choose(null, "Mac OS X", "aarch64", AVX512, e -> true).extension()).isNull();
    }

    @Test
    void cpuFlagsAreReadFromProcCpuinfo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: fpu avx2 fma avx512f avx512bw\n"
                + "bugs\t\t: none\n\nprocessor\t: 1\nflags\t\t: fpu\n");
        assertThat(NativeBuild.cpuFlags(f)).containsExactlyInAnyOrder("fpu", "avx2", "fma", "avx512f", "avx512bw");
        assertThat(NativeBuild.cpuFlags(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void theRunningJvmFindsTheGenericBuildOnItsClassPath() {
        // the test class path carries nd4j-native's generic build (the pom's nd4j.classifier)
        assertThat(NativeBuild.class.getClassLoader().getResource(NativeBuild.BINDINGS + NativeBuild.PLATFORM + "/"))
                .isNotNull();
    }
}
