package dev.psa.hadoop;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 server in the test JVM: S3Proxy over jclouds' in-memory blob store on a loopback port, with
 * AWS signature checking, and the Hadoop settings that point {@code s3a://} at it (path-style
 * requests, plain HTTP, static keys).
 */
final class TestS3 implements AutoCloseable {
    static final String ACCESS_KEY = "psa-test-access";
    static final String SECRET_KEY = "psa-test-secret";

    private final BlobStoreContext store;
    private final S3Proxy proxy;

    private TestS3(BlobStoreContext store, S3Proxy proxy) {
        this.store = store;
        this.proxy = proxy;
    }

    /** Starts the server with the given (empty) buckets. */
    static TestS3 start(String... buckets) throws Exception {
        BlobStoreContext store = ContextBuilder.newBuilder("transient").credentials(ACCESS_KEY, SECRET_KEY)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(store.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 30 s: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        for (String b : buckets) {
            store.getBlobStore().createContainerInLocation(null, b);
        }
        return new TestS3(store, proxy);
    }

    /** The endpoint, {@code http://127.0.0.1:PORT}. */
    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** A Hadoop configuration whose {@code s3a://} file systems talk to this server. */
    Configuration configuration() {
        Configuration c = new Configuration();
        c.set("fs.s3a.endpoint", endpoint());
        c.set("fs.s3a.endpoint.region", "us-east-1");
        c.setBoolean("fs.s3a.path.style.access", true);
        c.setBoolean("fs.s3a.connection.ssl.enabled", false);
        c.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        c.set("fs.s3a.access.key", ACCESS_KEY);
        c.set("fs.s3a.secret.key", SECRET_KEY);
        return c;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        store.close();
    }
}
