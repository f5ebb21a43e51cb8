package io.iontrap.cli;

import io.iontrap.hardware.transport.MqttConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The MQTT security flags of every command that opens an MQTT link (issue 8, docs/security.md), as a
 * picocli mixin: {@code @Mixin MqttOptions mqtt;} then {@code mqtt.config(uri)}.
 * <ul>
 *   <li>{@code --mqtt-username U}</li>
 *   <li>{@code --mqtt-password-file FILE}: the password is the first line of FILE, read when the link
 *       connects; without it, the environment variable named by {@code --mqtt-password-env VAR}, or
 *       {@value #PASSWORD_ENV} when set. A password is
 *       never accepted on the command line ({@code --mqtt-password} is refused without echoing it): the
 *       command line is visible to every user of the machine and kept in shell histories.</li>
 *   <li>{@code --mqtt-ca FILE}: TLS, trusting this CA (PEM); {@code mqtts://} URIs use TLS too.</li>
 *   <li>{@code --mqtt-cert FILE --mqtt-key FILE}: a client certificate and its PKCS#8 key (PEM).</li>
 * </ul>
 * The password itself is never held here, never printed and never logged; {@link #toString()} says only
 * where it comes from. Warnings (on the command's error stream): a password or key file other users
 * can read, and a password sent without TLS.
 */
public final class MqttOptions {
    /** The environment variable read for the password when no password file is given. */
    public static final String PASSWORD_ENV = "IONTRAP_MQTT_PASSWORD";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--mqtt-username", paramLabel = "U", description = "MQTT user name")
    String username;

    @Option(names = "--mqtt-password-file", paramLabel = "FILE",
            description = "file whose first line is the MQTT password (chmod 600); else $" + PASSWORD_ENV
                    + "; never on the command line")
    Path passwordFile;

    @Option(names = "--mqtt-password-env", paramLabel = "VAR",
            description = "environment variable holding the MQTT password (default " + PASSWORD_ENV + ")")
    String passwordEnv;

    @Option(names = "--mqtt-ca", paramLabel = "FILE", description = "CA certificate (PEM): connect with TLS and "
            + "trust this CA (mqtts:// URIs use TLS too)")
    Path ca;

    @Option(names = "--mqtt-cert", paramLabel = "FILE", description = "TLS client certificate (PEM), with --mqtt-key")
    Path cert;

    @Option(names = "--mqtt-key", paramLabel = "FILE", description = "private key of --mqtt-cert (PKCS#8 PEM)")
    Path key;

    /** Where environment variables come from (tests replace it). */
    Function<String, String> env = System::getenv;

    /** Refuses a password given on the command line, without repeating it. */
    @Option(names = "--mqtt-password", hidden = true, arity = "0..1", paramLabel = "(refused)")
    void refusePasswordOnCommandLine(String ignored) {
        String message = "--mqtt-password is not accepted: a password on the command line is visible to every user "
                + "of this machine and stays in the shell history. Put it in a file only you can read "
                + "(chmod 600) and give --mqtt-password-file FILE, or set the environment variable " + PASSWORD_ENV;
        if (mixee != null) {
            throw new ParameterException(mixee.commandLine(), message);
        }
        throw new IllegalArgumentException(message);
    }

    /** True when any MQTT security flag was given. */
    public boolean given() {
        return username != null || passwordFile != null || passwordEnv != null || ca != null || cert != null
                || key != null;
    }

    /**
     * The broker configuration for {@code serverUri} with these options, checked: files exist, a client
     * certificate comes with its key and with TLS, a password file comes with a user name. Warns about
     * password or key files that other users can read and passwords sent without TLS.
     *
     * @throws IllegalArgumentException naming the flag and the file (never a secret)
     */
    public MqttConfig config(String serverUri) {
        return apply(MqttConfig.of(serverUri));
    }

    /** These options applied to {@code base} (its URI, prefix and timeouts kept). */
    public MqttConfig apply(MqttConfig base) {
        MqttConfig c = base;
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--mqtt-cert and --mqtt-key go together (client certificate and its key)");
        }
        if (ca != null) {
            readable("--mqtt-ca", ca);
            c = c.withCa(ca);
        }
        if (cert != null) {
            readable("--mqtt-cert", cert);
            readable("--mqtt-key", key);
            warnIfOthersCanRead("TLS private key", key);
            if (!c.tls()) {
                throw new IllegalArgumentException("a client certificate needs TLS: give --mqtt-ca FILE or an "
                        + "mqtts:// broker URI (got " + base.serverUri() + ")");
            }
            c = c.withClientCertificate(cert, key);
        }
        if (username != null) {
            if (username.isBlank()) {
                throw new IllegalArgumentException("--mqtt-username must not be empty");
            }
            c = c.withUsername(username);
        }
        boolean password = false;
        if (passwordFile != null && passwordEnv != null) {
            throw new IllegalArgumentException("--mqtt-password-file and --mqtt-password-env: give one of them");
        }
        if (passwordEnv != null) {
            if (!passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                // said without repeating it: a password typed here by mistake must not be printed
                throw new IllegalArgumentException("--mqtt-password-env takes the NAME of an environment variable "
                        + "(letters, digits, _), not a password");
            }
            if (env.apply(passwordEnv) == null) {
                throw new IllegalArgumentException("--mqtt-password-env: the environment variable " + passwordEnv
                        + " is not set");
            }
            c = c.withPasswordEnv(passwordEnv);
            password = true;
        } else if (passwordFile != null) {
            readable("--mqtt-password-file", passwordFile);
            try {
                if (Files.size(passwordFile) == 0) {
                    throw new IllegalArgumentException("--mqtt-password-file " + passwordFile + " is empty");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--mqtt-password-file " + passwordFile + ": cannot read ("
                        + e.getClass().getSimpleName() + ")");
            }
            warnIfOthersCanRead("MQTT password file", passwordFile);
            c = c.withPasswordFile(passwordFile);
            password = true;
        } else if (env.apply(PASSWORD_ENV) != null) {
            c = c.withPasswordEnv(PASSWORD_ENV);
            password = true;
        }
        if (password && username == null) {
            throw new IllegalArgumentException("an MQTT password (" + (passwordFile != null ? "--mqtt-password-file"
                    : "$" + (passwordEnv != null ? passwordEnv : PASSWORD_ENV)) + ") needs --mqtt-username");
        }
        if (password && !c.tls()) {
            warn("the MQTT password is sent in clear text to " + base.serverUri()
                    + ": use TLS (--mqtt-ca FILE or an mqtts:// URI) outside a closed lab network");
        }
        return c;
    }

    private static void readable(String flag, Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(flag + " " + p + ": no such file");
        }
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(flag + " " + p + ": not readable");
        }
    }

    private void warnIfOthersCanRead(String what, Path p) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                warn(what + " " + p + " can be read by other users (" + PosixFilePermissions.toString(perms)
                        + "): chmod 600 " + p);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private void warn(String message) {
        PrintWriter err = mixee != null ? mixee.commandLine().getErr() : new PrintWriter(System.err, true);
        err.println("iontrap: warning: " + message);
        err.flush();
    }

    @Override
    public String toString() {
        String pw = passwordFile != null ? "password from file " + passwordFile
                : passwordEnv != null ? "password from $" + passwordEnv
                : env.apply(PASSWORD_ENV) != null ? "password from $" + PASSWORD_ENV : "no password";
        return "MqttOptions{" + (username == null ? "no user" : "user=" + username) + ", " + pw
                + (ca == null ? "" : ", ca=" + ca) + (cert == null ? "" : ", cert=" + cert + ", key=" + key) + "}";
    }
}
