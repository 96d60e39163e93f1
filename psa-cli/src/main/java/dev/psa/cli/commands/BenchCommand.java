package dev.psa.cli.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.spi.Backbone;
import dev.psa.api.spi.WalkSolver;
import dev.psa.cam.CamConfig;
import dev.psa.cam.CamNetwork;
import dev.psa.cam.ClassifierNet;
import dev.psa.cam.MultiScaleCam;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.crf.CrfBench;
import dev.psa.randomwalk.WalkBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import dev.psa.api.config.ComponentConfig;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** {@code psa bench crf|walk}: quick benchmarks printing one machine-readable line per result. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Quick benchmarks (JMH ones live in psa-bench).",
        subcommands = {BenchCommand.Crf.class, BenchCommand.Walk.class, BenchCommand.BackboneForward.class,
                BenchCommand.Cam.class})
public final class BenchCommand implements Runnable {
    @ParentCommand
    PsaCommand psa;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code psa bench crf [--size WxH] [--labels L]} → {@code crf ms=<median>}. */
    @Command(name = "crf", mixinStandardHelpOptions = true, description = "Dense CRF, PSA settings, 10 iterations.")
    public static final class Crf implements Runnable {
        @Option(names = "--size", paramLabel = "WxH", defaultValue = "500x375", description = "image size (default ${DEFAULT-VALUE})")
        String size;

        @Option(names = "--labels", paramLabel = "L", defaultValue = "3", description = "labels (default ${DEFAULT-VALUE})")
        int labels;

        @Override
        public void run() {
            int[] wh = CrfBench.parseSize(size);
            System.out.println(CrfBench.run(wh[0], wh[1], labels));
        }
    }

    /** {@code psa bench walk [--size WxH] [--channels C]}: every installed solver on one random graph. */
    @Command(name = "walk", mixinStandardHelpOptions = true,
            description = "Every installed walk solver on the same random graph (radius 5, beta 8, t 256).")
    public static final class Walk implements Runnable {
        @ParentCommand
        BenchCommand bench;

        @Option(names = "--size", paramLabel = "WxH", defaultValue = "63x47", description = "stride-8 grid (default ${DEFAULT-VALUE})")
        String size;

        @Option(names = "--channels", paramLabel = "C", defaultValue = "3", description = "non-zero channels (default ${DEFAULT-VALUE})")
        int channels;

        @Override
        public void run() {
            int[] wh = WalkBench.parseSize(size);
            Map<String, WalkSolver> solvers = new LinkedHashMap<>();
            bench.psa.components().walkSolvers().forEach((name, p) ->
                    solvers.put(name, p.create(ComponentConfig.empty().scoped("rw."))));
            WalkBench.run(wh[0], wh[1], channels, solvers, System.out::println);
        }
    }

    /**
     * {@code psa bench backbone --backbone NAME [--size S] [--batch B] [--repeats N]}: the
     * classifier's inference graph (backbone + the 1×1 {@code fc8}, random weights) on a B × 3 × S × S
     * batch, after one warm-up pass; prints {@code backbone NAME size=S batch=B ms=MEDIAN}.
     */
    @Command(name = "backbone", mixinStandardHelpOptions = true,
            description = "Forward pass of a backbone (inference graph, random weights): median of N passes.")
    public static final class BackboneForward implements Runnable {
        @ParentCommand
        BenchCommand bench;

        @Option(names = "--backbone", required = true, paramLabel = "NAME", description = "backbone name")
        String backbone;

        @Option(names = "--size", defaultValue = "448", paramLabel = "S", description = "image side (default ${DEFAULT-VALUE})")
        int size;

        @Option(names = "--batch", defaultValue = "1", paramLabel = "B", description = "batch size (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--repeats", defaultValue = "5", paramLabel = "N", description = "timed passes (default ${DEFAULT-VALUE})")
        int repeats;

        @Option(names = "--graph", description = "run the SameDiff graph instead of the backbone's eager inference path")
        boolean graph;

        @Override
        public void run() {
            Backbone b = backboneByName(bench.psa, backbone);
            ClassifierNet cls = ClassifierNet.build(b, 20, false, false, 1);
            CamNetwork net = graph ? cls.graphCamNetwork() : cls.camNetwork();
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, size, size).subi(0.5);
            double ms = medianMillis(repeats, () -> net.cams(x));
            System.out.printf(Locale.ROOT, "backbone %s size=%d batch=%d ms=%.0f%n", backbone, size, batch, ms);
        }
    }

    /**
     * {@code psa bench cam --backbone NAME [--size WxH]}: the cams stage's own code
     * ({@link MultiScaleCam} with the configured {@code cam.*} scales, flip and resize) on one random
     * image of W × H, after one warm-up image; prints
     * {@code cam NAME size=WxH ms=MEDIAN peak_rss_mb=N} (peak resident memory of the process).
     */
    @Command(name = "cam", mixinStandardHelpOptions = true,
            description = "Multi-scale, flipped CAMs of one image with the cams stage's code: median of N images.")
    public static final class Cam implements Runnable {
        @ParentCommand
        BenchCommand bench;

        @Option(names = "--backbone", required = true, paramLabel = "NAME", description = "backbone name")
        String backbone;

        @Option(names = "--size", defaultValue = "500x375", paramLabel = "WxH", description = "image size (default ${DEFAULT-VALUE})")
        String size;

        @Option(names = "--repeats", defaultValue = "3", paramLabel = "N", description = "timed images (default ${DEFAULT-VALUE})")
        int repeats;

        @Option(names = "--graph", description = "run the SameDiff graph instead of the backbone's eager inference path")
        boolean graph;

        @Override
        public void run() {
            int[] wh = CrfBench.parseSize(size);
            Backbone b = backboneByName(bench.psa, backbone);
            CamConfig config = bench.psa.settings(Set.of()).get(CamConfig.class);
            ClassifierNet net = ClassifierNet.build(b, 20, false, config.sqrtFor(b.name()), 1);
            MultiScaleCam msc = new MultiScaleCam(graph ? net.graphCamNetwork() : net.detachCamNetwork(), b.normalization(),
                    config, 20);
            Nd4j.getRandom().setSeed(1);
            INDArray image = Nd4j.rand(DataType.FLOAT, 3, wh[1], wh[0]).muli(255);
            double ms = medianMillis(repeats, () -> msc.compute("bench", image, new int[] {1, 15}));
            System.out.printf(Locale.ROOT, "cam %s size=%dx%d ms=%.0f peak_rss_mb=%d%n", backbone, wh[0], wh[1], ms,
                    peakRssMb());
        }
    }

    static Backbone backboneByName(PsaCommand psa, String name) {
        psa.addSet("backbone.name=" + name);
        return psa.settings(Set.of(ComponentKind.BACKBONE)).component(ComponentKind.BACKBONE, Backbone.class);
    }

    /** One warm-up run, then the median wall time of {@code repeats} runs, in milliseconds. */
    static double medianMillis(int repeats, Runnable work) {
        work.run();
        double[] ms = new double[Math.max(1, repeats)];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }

    /** Peak resident set size of this process in MiB ({@code VmHWM} of /proc/self/status), -1 if unknown. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
