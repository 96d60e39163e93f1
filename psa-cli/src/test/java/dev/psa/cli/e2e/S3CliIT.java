package dev.psa.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.psa.api.io.AtomicFiles;

/**
 * The run folder on S3, from the command line as a user has it: an S3 server in the test JVM
 * (S3Proxy over an in-memory store, checking AWS signatures), its endpoint and keys in a {@code
 * core-site.xml} under {@code $HADOOP_CONF_DIR}, and child psa JVMs with the distribution's class
 * path (hadoop-aws and the AWS SDK v2 modules included). {@code psa run --run s3a://…} prints the
 * mIoU line of the same run on a local folder; {@code psa cams --run s3a://… --set engine=spark
 * --set spark.master=local[2]} rewrites every CAM there; no temporary or lock object is left.
 */
class S3CliIT {
    private static final String KEY = "psa-it-access";
    private static final String SECRET = "psa-it-secret";

    @TempDir
    static Path tmp;

    static BlobStoreContext store;
    static S3Proxy proxy;
    static Map<String, String> env;

    @BeforeAll
    static void startS3() throws Exception {
        store = ContextBuilder.newBuilder("transient").credentials(KEY, SECRET).build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(store.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            assertThat(System.nanoTime()).as("S3Proxy started within 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        store.getBlobStore().createContainerInLocation(null, "psa-runs");
        // what a user puts in core-site.xml for an S3-compatible store (README, "Run folder on HDFS / S3")
        Path conf = Files.createDirectories(tmp.resolve("hadoop-conf"));
        Files.writeString(conf.resolve("core-site.xml"), """
                <?xml version="1.0"?>
                <configuration>
                  <property><name>fs.s3a.endpoint</name><value>http://127.0.0.1:%d</value></property>
                  <property><name>fs.s3a.endpoint.region</name><value>us-east-1</value></property>
                  <property><name>fs.s3a.path.style.access</name><value>true</value></property>
                  <property><name>fs.s3a.connection.ssl.enabled</name><value>false</value></property>
                  <property><name>fs.s3a.access.key</name><value>%s</value></property>
                  <property><name>fs.s3a.secret.key</name><value>%s</value></property>
                </configuration>
                """.formatted(proxy.getPort(), KEY, SECRET), StandardCharsets.UTF_8);
        env = Map.of("HADOOP_CONF_DIR", conf.toString());
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void runAndCamsWithTheRunFolderOnS3() throws Exception {
        Path config = TinyRun.config(tmp, "tiny");
        ChildPsa local = TinyRun.runLocally(tmp, config, tmp.resolve("local"));

        String runUri = "s3a://psa-runs/runs/tiny";
        ChildPsa onS3 = ChildPsa.run(tmp.resolve("logs"), List.of(), env, "run", "--config", config.toString(),
                "--run", runUri);
        assertThat(onS3.exit()).as(onS3.output()).isZero();
        assertThat(ChildPsa.miouLines(onS3.out())).as(onS3.out()).hasSize(1)
                .isEqualTo(ChildPsa.miouLines(local.out()));
        assertThat(onS3.out()).contains("run folder: " + runUri).contains(runUri + "/report/index.html");
        List<String> objects = objects("runs/tiny/");
        assertThat(objects).contains("runs/tiny/run.json", "runs/tiny/report/index.html", "runs/tiny/seg/model.npz",
                "runs/tiny/eval/seg.json", "runs/tiny/logs/psa.log");
        assertThat(objects.stream().filter(o -> o.startsWith("runs/tiny/cam/") && o.endsWith(".npz")))
                .hasSize(TinyRun.IMAGES);
        assertThat(byteSize("runs/tiny/cam/")).as("the CAMs on S3 are as large as those of the local run")
                .isEqualTo(localSize(tmp.resolve("local/cam")));

        // the per-image stage again, as Spark tasks (local[2]) writing to S3
        for (String o : objects("runs/tiny/cam/")) {
            store.getBlobStore().removeBlob("psa-runs", o);
        }
        ChildPsa cams = ChildPsa.run(tmp.resolve("logs"), ChildPsa.sparkOpens(), env, "cams", "--run", runUri,
                "--set", "engine=spark", "--set", "spark.master=local[2]");
        assertThat(cams.exit()).as(cams.output()).isZero();
        assertThat(cams.out()).contains("[cams]").contains(TinyRun.IMAGES + " computed");
        assertThat(objects("runs/tiny/cam/").stream().filter(o -> o.endsWith(".npz"))).hasSize(TinyRun.IMAGES);
        // S3 cannot append to logs/psa.log: the second command's log is its own object beside it
        assertThat(objects("runs/tiny/logs/")).hasSize(3).contains("runs/tiny/logs/", "runs/tiny/logs/psa.log")
                .anyMatch(o -> o.matches("runs/tiny/logs/psa-\\d{8}-\\d{6}-\\d+\\.log"));
        assertThat(objects("runs/tiny/").stream().filter(o -> AtomicFiles.isTemporary(Path.of(o))
                || o.endsWith(".psa-lock"))).as("no temporary or lock object left").isEmpty();
        System.out.println("psa run --run " + runUri + ":\n" + onS3.out() + "\npsa cams on Spark:\n" + cams.out());
    }

    /** The object names under a prefix of the bucket (the store's own listing, not psa's). */
    private static List<String> objects(String prefix) {
        BlobStore b = store.getBlobStore();
        return b.list("psa-runs", ListContainerOptions.Builder.prefix(prefix).recursive()).stream()
                .map(StorageMetadata::getName).sorted().toList();
    }

    private static long byteSize(String prefix) {
        BlobStore b = store.getBlobStore();
        return b.list("psa-runs", ListContainerOptions.Builder.prefix(prefix).recursive()).stream()
                .filter(m -> m.getName().endsWith(".npz")).mapToLong(m -> m.getSize() == null ? 0 : m.getSize()).sum();
    }

    private static long localSize(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".npz")).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
