package dev.psa.eval.store;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts PostgreSQL for tests without any registry: the image is built locally by
 * {@code .ci/postgres-image.sh} ({@code psa-postgres:15}) and never pulled. The image name is a
 * setting: system property {@code psa.test.postgres.image} or environment variable
 * {@code PSA_POSTGRES_IMAGE} (e.g. {@code postgres:16} for users with Docker Hub, pulled beforehand).
 * Without Docker the tests are skipped on a developer machine and fail when {@code CI} is set.
 */
final class PostgresImage {
    static final String DEFAULT_IMAGE = "psa-postgres:15";

    private PostgresImage() {
    }

    static String imageName() {
        String p = System.getProperty("psa.test.postgres.image");
        if (p != null && !p.isBlank()) {
            return p;
        }
        String e = System.getenv("PSA_POSTGRES_IMAGE");
        return e != null && !e.isBlank() ? e : DEFAULT_IMAGE;
    }

    static boolean ci() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    static PostgreSQLContainer<?> startContainer() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        if (!docker) {
            String why = "Docker is not available, so the PostgreSQL results-store tests cannot run. Start dockerd"
                    + " and build the image with .ci/postgres-image.sh";
            if (ci()) {
                fail(why + " (CI is set: these tests must run in CI)");
            }
            Assumptions.abort(why + " (skipped: CI is not set)");
        }
        String image = imageName();
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            fail("Docker image " + image + " is missing and is never pulled: build it with .ci/postgres-image.sh, or"
                    + " pull another one (docker pull postgres:16) and pass -Dpsa.test.postgres.image=postgres:16");
        }
        PostgreSQLContainer<?> c = new PostgreSQLContainer<>(
                DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                .withImagePullPolicy(name -> false)
                .withStartupTimeout(Duration.ofMinutes(3));
        c.start();
        return c;
    }
}
