package dev.sluice.config;

import java.nio.file.Path;

/**
 * The control plane's settings.
 *
 * @param listen where the admin API listens; {@code null}: no admin listener
 * @param tokenFile a file holding the bearer token for changes; {@code null}: the
 *     {@code SLUICE_ADMIN_TOKEN} environment variable, else no changes allowed
 * @param stateDir where acknowledged changes are kept; {@code null}: changes live in memory only
 */
public record AdminSettings(HostPort listen, Path tokenFile, Path stateDir) {

    public static final AdminSettings NONE = new AdminSettings(null, null, null);

    /** The directory name used beside a config file when {@code state_dir} is not given. */
    public static final String DEFAULT_STATE_DIR = "sluice-state";
}
