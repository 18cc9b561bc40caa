package community.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's data folder holds every member's name and address: only the service's user may read it. */
class EmbeddedDynaliteTest {

    @TempDir
    Path folder;

    @Test
    void the_data_folder_is_created_readable_by_its_owner_only() throws IOException {
        Path data = folder.resolve("data");
        Path home = Path.of("embedded-dynamodb");
        try (EmbeddedDynalite store = EmbeddedDynalite.start(home, 0, data.resolve("dynamodb"))) {
            assertThat(store.endpoint()).startsWith("http://127.0.0.1:");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("dynamodb"))))
                .isEqualTo("rwx------");
    }

    @Test
    void a_data_folder_left_open_by_an_earlier_version_is_closed() throws IOException {
        Path data = Files.createDirectories(folder.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        EmbeddedDynalite.createPrivately(data.resolve("dynamodb"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    }
}
