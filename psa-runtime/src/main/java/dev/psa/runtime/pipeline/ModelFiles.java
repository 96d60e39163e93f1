package dev.psa.runtime.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import dev.psa.api.PsaException;

/** Digests of the model files a run reads (fingerprints, run.json). */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * The SHA-256 of a file, hex.
     *
     * @param key the config key that names the file (e.g. {@code cls.weights}), named in the error
     *            when the file is missing
     * @throws PsaException naming the key and the file when it does not exist or cannot be read
     */
    public static String sha256(Path file, String key) {
        if (!Files.isRegularFile(file)) {
            throw new PsaException(key + " = " + file + ": no such file; give its path with --set " + key + "=FILE");
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 20];
            while (in.read(buf) >= 0) {
                // digesting
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new PsaException(file + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
