package dev.psa.randomwalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The output contract of {@code psa bench walk} (the numbers themselves are for the benchmark). */
class WalkBenchTest {
    private static final WalkBench.Options QUICK = new WalkBench.Options(1, 2, 1, 4096, 42, 5, 8, 16);

    @Test
    void printsOneLinePerSolverThenTheSpeedup() {
        List<String> lines = new ArrayList<>();
        WalkBench.Report r = WalkBench.run(9, 6, 3, WalkBench.builtinSolvers(), QUICK, lines::add);
        assertThat(lines).hasSize(4);
        String number = "[0-9]+\\.[0-9]{3}";
        String sci = "[0-9]\\.[0-9]{3}e[-+][0-9]{2}";
        assertThat(lines.get(0)).matches("walk solver=dense ms=" + number + " maxdiff=0\\.000e\\+00");
        assertThat(lines.get(1)).matches("walk solver=sparse ms=" + number + " maxdiff=" + sci);
        assertThat(lines.get(2)).matches("walk solver=nd4j-stencil ms=" + number + " maxdiff=" + sci);
        assertThat(lines.get(3)).matches("walk speedup sparse/dense=[0-9]+\\.[0-9]");
        assertThat(r.lines()).extracting(WalkBench.Line::solver).containsExactly("dense", "sparse", "nd4j-stencil");
        assertThat(r.lines()).allSatisfy(l -> assertThat(l.maxDiff()).isLessThan(1e-5));
    }

    @Test
    void denseAboveItsLimitPrintsNaN() {
        List<String> lines = new ArrayList<>();
        WalkBench.Options small = new WalkBench.Options(1, 1, 1, 10, 42, 5, 8, 4);
        WalkBench.run(5, 4, 2, WalkBench.builtinSolvers(), small, lines::add);
        assertThat(lines.get(0)).isEqualTo("walk solver=dense ms=NaN maxdiff=NaN");
        assertThat(lines.get(1)).startsWith("walk solver=sparse ms=").endsWith("maxdiff=NaN");
        assertThat(lines.get(3)).isEqualTo("walk speedup sparse/dense=NaN");
    }

    @Test
    void parsesSizes() {
        assertThat(WalkBench.parseSize("63x47")).containsExactly(63, 47);
        assertThat(WalkBench.parseSize(" 126X94 ")).containsExactly(126, 94);
        assertThatThrownBy(() -> WalkBench.parseSize("63*47")).hasMessageContaining("--size").hasMessageContaining("'63*47'");
        assertThatThrownBy(() -> WalkBench.parseSize("0x4")).hasMessageContaining("WxH");
    }
}
