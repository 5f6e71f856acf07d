package org.dstoken;

/**
 * Options of {@link Dstoken#joinUrl(String, String, String, UrlOption...)} and
 * {@link Dstoken#mintUrl(SigningKey, String, String, String, String, String, String, java.time.Duration, UrlOption...)}.
 */
public enum UrlOption {
    /**
     * Accept a custom domain with a port ({@code meet.example.com:8443}, port 1 to 65535).
     * Without it a port is refused: rooms are served on the default HTTPS port. An IP address
     * is refused either way, and a team subdomain never takes a port.
     */
    ALLOW_PORT
}
