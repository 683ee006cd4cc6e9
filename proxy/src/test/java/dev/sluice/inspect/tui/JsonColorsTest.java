package dev.sluice.inspect.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonColorsTest {

    @Test
    void keysStringsNumbersAndLiteralsApart() {
        StyledLine line = JsonColors.line("  \"k\\\"ey\": [\"v:\", -1.5e3, true, null],");
        assertThat(line.text()).isEqualTo("  \"k\\\"ey\": [\"v:\", -1.5e3, true, null],");
        List<Span> colored = line.spans().stream().filter(s -> s.color() != null).toList();
        assertThat(colored).containsExactly(new Span("\"k\\\"ey\"", JsonColors.KEY), new Span("\"v:\"", JsonColors.STRING),
                new Span("-1.5e3", JsonColors.NUMBER), new Span("true", JsonColors.LITERAL),
                new Span("null", JsonColors.LITERAL));
    }
}
