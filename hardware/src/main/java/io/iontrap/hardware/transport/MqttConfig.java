package io.iontrap.hardware.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to reach the broker (docs/protocol.md): server URI ({@code tcp://}, {@code ssl://} or
 * {@code mqtts://}), topic prefix, and the security options of issue 8: username, password from a
 * file or an environment variable (never on the command line), CA file for TLS, client certificate
 * and key (PEM). {@link #toString()} never shows the password, only where it comes from.
 */
public record MqttConfig(String serverUri, String topicPrefix, String username, Path passwordFile,
                         String passwordEnv, Path caFile, Path certFile, Path keyFile, int keepAliveSeconds,
                         long commandTtlMillis) {

    public static MqttConfig of(String serverUri) {
        return new MqttConfig(serverUri, "iontrap", null, null, null, null, null, null, 10, 10_000);
    }

    public MqttConfig withPrefix(String prefix) {
        return new MqttConfig(serverUri, prefix, username, passwordFile, passwordEnv, caFile, certFile, keyFile,
                keepAliveSeconds, commandTtlMillis);
    }

    public MqttConfig withUsername(String user) {
        return new MqttConfig(serverUri, topicPrefix, user, passwordFile, passwordEnv, caFile, certFile, keyFile,
                keepAliveSeconds, commandTtlMillis);
    }

    /** The password is read from this file (first line, trailing whitespace stripped) at connect time. */
    public MqttConfig withPasswordFile(Path file) {
        return new MqttConfig(serverUri, topicPrefix, username, file, passwordEnv, caFile, certFile, keyFile,
                keepAliveSeconds, commandTtlMillis);
    }

    /** The password is read from this environment variable at connect time. */
    public MqttConfig withPasswordEnv(String variable) {
        return new MqttConfig(serverUri, topicPrefix, username, passwordFile, variable, caFile, certFile, keyFile,
                keepAliveSeconds, commandTtlMillis);
    }

    /** TLS, trusting this CA (PEM). */
    public MqttConfig withCa(Path ca) {
        return new MqttConfig(serverUri, topicPrefix, username, passwordFile, passwordEnv, ca, certFile, keyFile,
                keepAliveSeconds, commandTtlMillis);
    }

    /** TLS client certificate and its PKCS#8 private key (PEM). */
    public MqttConfig withClientCertificate(Path cert, Path key) {
        return new MqttConfig(serverUri, topicPrefix, username, passwordFile, passwordEnv, caFile, cert, key,
                keepAliveSeconds, commandTtlMillis);
    }

    public MqttConfig withCommandTtlMillis(long ttl) {
        return new MqttConfig(serverUri, topicPrefix, username, passwordFile, passwordEnv, caFile, certFile, keyFile,
                keepAliveSeconds, ttl);
    }

    /** The URI as Paho wants it: {@code mqtts://} becomes {@code ssl://}. */
    public String pahoUri() {
        return serverUri.startsWith("mqtts://") ? "ssl://" + serverUri.substring("mqtts://".length()) : serverUri;
    }

    public boolean tls() {
        return caFile != null || pahoUri().startsWith("ssl://");
    }

    /** The password, or null when none is configured. Never log the result. */
    char[] password() throws IOException {
        if (passwordFile != null) {
            String s = Files.readString(passwordFile, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            return (nl >= 0 ? s.substring(0, nl) : s).strip().toCharArray();
        }
        if (passwordEnv != null) {
            String v = System.getenv(passwordEnv);
            if (v == null) {
                throw new IOException("environment variable " + passwordEnv + " (MQTT password) is not set");
            }
            return v.toCharArray();
        }
        return null;
    }

    public String topic(String deviceId, String leaf) {
        return topicPrefix + "/" + deviceId + "/" + leaf;
    }

    @Override
    public String toString() {
        return "MqttConfig{" + serverUri + ", prefix=" + topicPrefix
                + (username == null ? "" : ", user=" + username)
                + (passwordFile == null ? "" : ", password from file " + passwordFile)
                + (passwordEnv == null ? "" : ", password from $" + passwordEnv)
                + (caFile == null ? "" : ", ca=" + caFile)
                + (certFile == null ? "" : ", cert=" + certFile) + "}";
    }
}
