package dev.psa.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import dev.psa.hadoop.HadoopPaths;

/** An in-process HDFS (one name node, one data node) under a folder, made psa's Hadoop configuration. */
final class TestHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;
    private final URI uri;

    private TestHdfs(MiniDFSCluster cluster) {
        this.cluster = cluster;
        this.uri = URI.create("hdfs://localhost:" + cluster.getNameNodePort() + "/");
    }

    /** Starts the cluster with its blocks under {@code dir} and waits until it serves. */
    static TestHdfs start(Path dir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        HadoopPaths.configure(cluster.getConfiguration(0));
        return new TestHdfs(cluster);
    }

    /** {@code hdfs://localhost:PORT/}. */
    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
