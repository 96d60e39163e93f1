import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import dev.psa.api.spi.Backbone;
import dev.psa.backbones.BackboneStats;
import dev.psa.backbones.resnet38.ResNet38Backbone;
import dev.psa.backbones.resnet38.ResNet38Config;
import dev.psa.backbones.vgg16.Vgg16Backbone;
import dev.psa.backbones.vgg16.Vgg16Config;

/**
 * Prints {"resnet38": {param: shape, ...}, "vgg16": {...}} (psa's layout, [kh, kw, in, out] for
 * convs) for torch_checkpoints.py. Run with the distribution's class path (after ./psa built it):
 * java -cp "psa-cli/target/psa-cli-0.1.0-SNAPSHOT.jar:psa-cli/target/lib/*" psa-bench/bench/BackboneShapes.java
 */
public class BackboneShapes {
    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder("{");
        List<Backbone> backbones = List.of(new ResNet38Backbone(ResNet38Config.defaults()),
                new Vgg16Backbone(Vgg16Config.defaults()));
        for (int b = 0; b < backbones.size(); b++) {
            sb.append(b == 0 ? "" : ", ").append('"').append(backbones.get(b).name()).append("\": {");
            Iterator<Map.Entry<String, long[]>> it = BackboneStats.of(backbones.get(b)).shapes().entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, long[]> e = it.next();
                sb.append('"').append(e.getKey()).append("\": ").append(Arrays.toString(e.getValue()))
                        .append(it.hasNext() ? ", " : "");
            }
            sb.append('}');
        }
        System.out.println(sb.append('}'));
    }
}
