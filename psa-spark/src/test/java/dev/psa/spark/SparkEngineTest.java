package dev.psa.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** How the Spark engine cuts a stage into tasks and how many ND4J threads each task gets. */
class SparkEngineTest {
    private static List<String> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> "i" + i).toList();
    }

    @Test
    void sharesAreContiguousWholeBatchesCoveringEveryItemOnce() {
        // 28 images, CAM batch 8, 4 tasks wanted: 8, 8, 8, 4 (the local engine's batches exactly)
        List<List<String>> s = SparkEngine.shares(items(28), 8, 4);
        assertThat(s).extracting(List::size).containsExactly(8, 8, 8, 4);
        List<String> all = new ArrayList<>();
        s.forEach(all::addAll);
        assertThat(all).isEqualTo(items(28));
        // fewer groups than tasks wanted: one share per group
        assertThat(SparkEngine.shares(items(10), 8, 6)).extracting(List::size).containsExactly(8, 2);
        // granularity 1, 7 items in 3 tasks: 2, 2, 3 (floor boundaries 0, 2, 4, 7)
        assertThat(SparkEngine.shares(items(7), 1, 3)).extracting(List::size).containsExactly(2, 2, 3);
        // 100 items, batch 8 → 13 groups in 4 shares: 3, 3, 3, 4 groups; every size but the last a multiple of 8
        List<List<String>> big = SparkEngine.shares(items(100), 8, 4);
        assertThat(big).extracting(List::size).containsExactly(24, 24, 24, 28);
    }

    @Test
    void threadsPerTaskShareTheCoresWithoutOversubscription() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(SparkEngine.threadsPerTask(new SparkConf(false).setMaster("local"))).isEqualTo(cores);
        assertThat(SparkEngine.threadsPerTask(new SparkConf(false).setMaster("local[1]"))).isEqualTo(cores);
        assertThat(SparkEngine.threadsPerTask(new SparkConf(false).setMaster("local[2]")))
                .isEqualTo(Math.max(1, cores / 2));
        assertThat(SparkEngine.threadsPerTask(new SparkConf(false).setMaster("local[*]"))).isEqualTo(1);
        assertThat(SparkEngine.threadsPerTask(new SparkConf(false).setMaster("local[64,3]"))).isEqualTo(1);
        assertThat(SparkEngine.threadsPerTask(new SparkConf(false).setMaster("spark://h:7077"))).isEqualTo(1);
        assertThat(SparkEngine.threadsPerTask(new SparkConf(false).setMaster("yarn").set("spark.task.cpus", "4")))
                .isEqualTo(4);
    }
}
