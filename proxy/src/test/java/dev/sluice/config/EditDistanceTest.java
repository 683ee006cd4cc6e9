package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EditDistanceTest {

    @Test
    void countsInsertionsDeletionsReplacementsAndSwaps() {
        assertThat(EditDistance.between("listen", "listen")).isZero();
        assertThat(EditDistance.between("conect_timeout", "connect_timeout")).isEqualTo(1);
        assertThat(EditDistance.between("lsiten", "listen")).isEqualTo(1);
        assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
        assertThat(EditDistance.between("", "pool")).isEqualTo(4);
    }

    @Test
    void suggestsOnlyANearNameIgnoringCase() {
        List<String> keys = List.of("host", "path", "pool");
        assertThat(EditDistance.closest("Hots", keys)).hasValue("host");
        assertThat(EditDistance.closest("pools", keys)).hasValue("pool");
        assertThat(EditDistance.closest("backends", keys)).isEmpty();
    }
}
