package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.AdminSettings;
import dev.sluice.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token that changes through the admin API need: read from {@code admin_token_file},
 * else taken from the {@code SLUICE_ADMIN_TOKEN} environment variable, else there is none and
 * changes are refused.
 */
public final class AdminToken {

    /** The environment variable that holds the token when the config names no token file. */
    public static final String ENV = "SLUICE_ADMIN_TOKEN";

    private static final String BEARER = "Bearer ";

    private AdminToken() {}

    /**
     * The token {@code settings} and {@code env} give, or empty when there is none. A blank
     * {@code SLUICE_ADMIN_TOKEN} counts as unset.
     *
     * @throws ConfigException when the token file cannot be read, is empty, or holds more than one
     *     word: the proxy must not start with a token file it cannot use
     */
    public static Optional<String> resolve(AdminSettings settings, Map<String, String> env) throws ConfigException {
        requireNonNull(settings, "settings");
        requireNonNull(env, "env");
        Path file = settings.tokenFile();
        if (file != null) {
            String token;
            try {
                token = Files.readString(file).strip();
            } catch (IOException e) {
                throw ConfigException.unreadable(file, "admin_token_file", "the admin token", e);
            }
            return Optional.of(checked(token, file.toString(), "admin_token_file"));
        }
        String token = env.getOrDefault(ENV, "").strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(checked(token, ENV, ""));
    }

    /** Whether the {@code Authorization} header value carries {@code token} as a bearer credential. */
    static boolean matches(String token, String authorization) {
        if (!isBearer(authorization)) {
            return false;
        }
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        byte[] given = credential(authorization).getBytes(StandardCharsets.UTF_8);
        // Constant time, so that timing does not tell how much of a guess was right.
        return MessageDigest.isEqual(expected, given);
    }

    /** Whether the header carries a bearer credential at all (the scheme ignores case: RFC 9110 §11.1). */
    static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && !credential(authorization).isEmpty();
    }

    private static String credential(String authorization) {
        return authorization == null || authorization.length() < BEARER.length() ? ""
                : authorization.substring(BEARER.length()).strip();
    }

    private static String checked(String token, String source, String keyPath) throws ConfigException {
        String problem = token.isEmpty() ? "the admin token file is empty; write the token into it"
                : !token.chars().allMatch(c -> c > ' ' && c < 0x7f)
                        ? "the admin token must be one word of visible ASCII characters (it goes in an HTTP header)"
                        : null;
        if (problem != null) {
            throw new ConfigException(List.of(new ConfigException.Problem(source, 0, keyPath, problem)));
        }
        return token;
    }
}
