package dev.psa.api;

/** A failure a user can act on: the message names the file, key or component and what was expected. */
public class PsaException extends RuntimeException {
    public PsaException(String message) {
        super(message);
    }

    public PsaException(String message, Throwable cause) {
        super(message, cause);
    }
}
