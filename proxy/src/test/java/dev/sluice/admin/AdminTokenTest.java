package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.AdminSettings;
import dev.sluice.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the token comes from: the token file, else the environment, else nowhere. */
class AdminTokenTest {

    @TempDir
    Path dir;

    private static AdminSettings tokenFile(Path file) {
        return new AdminSettings(null, file, null);
    }

    @Test
    void theFileWinsOverTheEnvironmentAndItsWhitespaceIsStripped() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  from-file\n");

        assertThat(AdminToken.resolve(tokenFile(file), Map.of(AdminToken.ENV, "from-env")))
                .contains("from-file");
    }

    @Test
    void withoutAFileTheEnvironmentGivesIt() throws Exception {
        assertThat(AdminToken.resolve(AdminSettings.NONE, Map.of("SLUICE_ADMIN_TOKEN", " from-env ")))
                .contains("from-env");
    }

    @Test
    void withNeitherThereIsNone() throws Exception {
        assertThat(AdminToken.resolve(AdminSettings.NONE, Map.of())).isEqualTo(Optional.empty());
        assertThat(AdminToken.resolve(AdminSettings.NONE, Map.of(AdminToken.ENV, "  "))).isEmpty();
    }

    @Test
    void aMissingFileIsAnErrorNotNoToken() {
        Path file = dir.resolve("nope");

        assertThatThrownBy(() -> AdminToken.resolve(tokenFile(file), Map.of(AdminToken.ENV, "from-env")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": admin_token_file: cannot read the admin token: no such file");
    }

    @Test
    void anUnreadableFileIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "secret");
        assertThat(file.toFile().setReadable(false)).isTrue();
        if (Files.isReadable(file)) {
            return; // running as root: permissions do not stop it
        }

        assertThatThrownBy(() -> AdminToken.resolve(tokenFile(file), Map.of()))
                .hasMessage(file + ": admin_token_file: cannot read the admin token: permission denied");
    }

    @Test
    void anEmptyFileIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), " \n\n");

        assertThatThrownBy(() -> AdminToken.resolve(tokenFile(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": admin_token_file: the admin token file is empty; write the token into it");
    }

    @Test
    void aTokenThatCannotGoInAHeaderIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "two\nlines\n");

        assertThatThrownBy(() -> AdminToken.resolve(tokenFile(file), Map.of()))
                .hasMessageContaining("the admin token must be one word of visible ASCII characters");
        assertThatThrownBy(() -> AdminToken.resolve(AdminSettings.NONE, Map.of(AdminToken.ENV, "caf\u00e9")))
                .hasMessageStartingWith("SLUICE_ADMIN_TOKEN: the admin token must be one word");
    }

    @Test
    void matchingIsExactAndOnlyForBearer() {
        assertThat(AdminToken.matches("abc", "Bearer abc")).isTrue();
        assertThat(AdminToken.matches("abc", "bearer abc")).isTrue();
        assertThat(AdminToken.matches("abc", "Bearer abcd")).isFalse();
        assertThat(AdminToken.matches("abc", "Bearer ab")).isFalse();
        assertThat(AdminToken.matches("abc", "Basic abc")).isFalse();
        assertThat(AdminToken.matches("abc", null)).isFalse();
        assertThat(AdminToken.isBearer("Bearer ")).isFalse();
        assertThat(AdminToken.isBearer("Basic abc")).isFalse();
    }
}
