package dev.sluice.inspect.tui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void oneDecodedParameterALine() {
        assertThat(QueryParams.lines("a=1&b=x%26y&flag&c=%C3%A9")).isEqualTo("a=1\nb=x&y\nflag\nc=é");
        assertThat(QueryParams.lines(null)).isEmpty();
    }

    @Test
    void linesEncodeBackSoThatSeparatorsStayInTheirValue() {
        assertThat(QueryParams.query("a=1\nb=x&y\n\nflag\nc=é\nd=1=2 #")).isEqualTo("a=1&b=x%26y&flag&c=%C3%A9&d=1%3D2%20%23");
        assertThat(QueryParams.query(" \n")).isNull();
    }

    @Test
    void plusIsKeptAsWritten() {
        assertThat(QueryParams.query(QueryParams.lines("q=a+b"))).isEqualTo("q=a+b");
    }
}
