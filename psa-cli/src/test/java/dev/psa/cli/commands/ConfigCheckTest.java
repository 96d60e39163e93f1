package dev.psa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code psa config check}: cross-key rules are checked at load, with every other problem (issue 18). */
class ConfigCheckTest {
    @TempDir
    Path dir;

    @Test
    void walkRadiusOtherThanTheAffinityRadiusIsReportedWithTheOtherProblems() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.properties"),
                "backbone.name=tiny\naff.radius=5\nrw.radius=3\ncls.epochs=-1\ncam.scales=0\n");
        WeightsCommandTest.Result r = WeightsCommandTest.psa("config", "check", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        String all = r.out() + r.err();
        assertThat(all).contains("rw.radius: must equal aff.radius (5)").contains("got 3")
                .contains("cls.epochs").contains("cam.scales");

        Path good = Files.writeString(dir.resolve("good.properties"), "backbone.name=tiny\naff.radius=2\nrw.radius=2\n");
        WeightsCommandTest.Result ok = WeightsCommandTest.psa("config", "check", good.toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("config ok");
    }

    @Test
    void switchingTheHeadByOverrideIsValidAndShowsThePresetsOtherHeadKeysAsUnused() throws Exception {
        WeightsCommandTest.Result r = WeightsCommandTest.psa("--preset", "demo", "--set", "seg.head=aspp", "config", "show");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("seg\\.head +?= aspp +# --set")
                .containsPattern("seg\\.largefov\\.channels += 128 +# preset demo; unused: seg\\.head=aspp, not largefov");
        WeightsCommandTest.Result typo = WeightsCommandTest.psa("--preset", "demo", "--set", "seg.largefov.chanels=3",
                "config", "show");
        assertThat(typo.exit()).isNotZero();
        assertThat(typo.out() + typo.err()).contains("unknown key 'seg.largefov.chanels' (from --set).")
                .contains("Did you mean 'seg.largefov.channels'?");
    }
}
