package dev.psa.cli.commands;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import dev.psa.api.PsaException;
import dev.psa.cli.PsaCommand;
import dev.psa.runtime.discovery.ComponentKind;
import dev.psa.runtime.pipeline.RunFolder;
import dev.psa.runtime.stages.PipelineStages;
import dev.psa.seg.SegPredict;

/**
 * {@code psa predict --run RUN --images DIR --out DIR [--crf] [--overlay]}: segments every image of a
 * folder with the run's trained segmentation network ({@code RUN/seg/model.npz}, the run's recorded
 * {@code seg.} settings): {@code OUT/<name>.png} in the VOC palette, with {@code --overlay} also
 * {@code OUT/overlay/<name>.png}. An unreadable image gives {@code error: FILE: REASON} on stderr and the
 * others are still done; the command then exits 1.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Segment every image of a folder with a run's trained segmentation network (VOC-palette PNGs).")
public final class PredictCommand implements Runnable {
    @ParentCommand
    PsaCommand psa;

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "a run folder with a trained seg/model.npz")
    Path run;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "a folder of images")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where <name>.png go")
    Path out;

    @Option(names = "--crf", description = "refine with the dense CRF (seg.crf-* parameters)")
    boolean crf;

    @Option(names = "--overlay", description = "also write OUT/overlay/<name>.png, the image blended with the labels")
    boolean overlay;

    @Override
    public void run() {
        var s = psa.settings(Set.of(ComponentKind.BACKBONE, ComponentKind.SEG_HEAD),
                RunFolder.recordedConfig(run.toAbsolutePath()));
        List<SegPredict.Item> items = SegPredict.run(PipelineStages.segPredictor(s, run, crf), images, out, overlay,
                (done, total, item) -> {
                    if (!item.ok()) {
                        String file = item.image().toString();
                        System.err.println("error: " + (item.error().startsWith(file) ? item.error()
                                : file + ": " + item.error()));
                    }
                });
        long failed = items.stream().filter(i -> !i.ok()).count();
        System.out.println("predict: " + (items.size() - failed) + " images segmented into " + out.toAbsolutePath()
                + (failed == 0 ? "" : ", " + failed + " failed"));
        if (failed > 0) {
            throw new PsaException(failed + " of " + items.size() + " images could not be segmented (listed above)");
        }
    }
}
