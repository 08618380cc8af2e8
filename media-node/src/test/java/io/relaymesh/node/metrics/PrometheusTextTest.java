package io.relaymesh.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relaymesh.node.protocol.ProtocolException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The test-side reader of the Prometheus text format accepts what Prometheus accepts and nothing else. */
class PrometheusTextTest {

    static final String VALID = """
            # HELP rm_packets_total Datagrams
            # TYPE rm_packets_total counter
            rm_packets_total{direction="in",kind="rtp"} 12.0
            rm_packets_total{direction="out",kind="rtp"} 30
            # TYPE rm_sessions gauge
            rm_sessions{protocol="whip",note="a \\"quoted\\" \\\\ back\\nslash"} 1 1700000000000
            # a comment that is not HELP or TYPE

            # TYPE rm_latency_seconds histogram
            rm_latency_seconds_bucket{le="1.0E-6"} 2
            rm_latency_seconds_bucket{le="2.0E-6"} 3
            rm_latency_seconds_bucket{le="+Inf"} 4
            rm_latency_seconds_count 4
            rm_latency_seconds_sum 1.5
            # TYPE rm_cpu gauge
            rm_cpu NaN
            """;

    @Test
    void readsFamiliesTypesHelpLabelsAndValues() throws Exception {
        Map<String, PrometheusText.Family> families = PrometheusText.parse(VALID);

        assertThat(families).containsOnlyKeys("rm_packets_total", "rm_sessions", "rm_latency_seconds", "rm_cpu");
        PrometheusText.Family packets = families.get("rm_packets_total");
        assertThat(packets.type()).isEqualTo("counter");
        assertThat(packets.help()).isEqualTo("Datagrams");
        assertThat(packets.value("rm_packets_total", "direction", "in", "kind", "rtp")).isEqualTo(12.0);
        assertThat(packets.value("rm_packets_total", "direction", "out")).isEqualTo(30.0);
        assertThat(families.get("rm_sessions").samples().getFirst().labels())
                .containsEntry("note", "a \"quoted\" \\ back\nslash");
        assertThat(families.get("rm_latency_seconds").value("rm_latency_seconds_bucket", "le", "+Inf")).isEqualTo(4.0);
        assertThat(families.get("rm_cpu").samples().getFirst().value()).isNaN();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad metric name        | # TYPE 9x gauge\\n9x 1\\n                                          | bad metric name",
        "unknown type           | # TYPE x meter\\nx 1\\n                                            | unknown type",
        "TYPE twice             | # TYPE x gauge\\n# TYPE x gauge\\n                                 | second TYPE",
        "sample before TYPE     | x 1\\n                                                             | not of the family",
        "sample of other family | # TYPE x gauge\\ny 1\\n                                            | not of the family",
        "label not closed       | # TYPE x gauge\\nx{a=\"1\" 1\\n                                    | expected ',' or '}'",
        "label value unquoted   | # TYPE x gauge\\nx{a=1} 1\\n                                       | not quoted",
        "label value open       | # TYPE x gauge\\nx{a=\"1} 1\\n                                     | not closed",
        "bad escape             | # TYPE x gauge\\nx{a=\"\\q\"} 1\\n                                  | bad escape",
        "bad label name         | # TYPE x gauge\\nx{1a=\"1\"} 1\\n                                  | bad label name",
        "label twice            | # TYPE x gauge\\nx{a=\"1\",a=\"2\"} 1\\n                           | twice",
        "no value               | # TYPE x gauge\\nx\\n                                              | no value",
        "bad value              | # TYPE x gauge\\nx one\\n                                          | bad value",
        "bad timestamp          | # TYPE x gauge\\nx 1 soon\\n                                       | bad timestamp",
        "duplicate series       | # TYPE x gauge\\nx{a=\"1\"} 1\\nx{a=\"1\"} 2\\n                      | duplicate series",
        "not cumulative         | # TYPE h histogram\\nh_bucket{le=\"1\"} 5\\nh_bucket{le=\"+Inf\"} 4\\nh_count 4\\n | not cumulative",
        "no +Inf bucket         | # TYPE h histogram\\nh_bucket{le=\"1\"} 5\\nh_count 5\\n              | not le=+Inf",
        "count differs          | # TYPE h histogram\\nh_bucket{le=\"+Inf\"} 5\\nh_count 4\\n           | differs",
        "bucket without le      | # TYPE h histogram\\nh_bucket 5\\nh_count 5\\n                    | without le",
        "no trailing line feed  | # TYPE x gauge\\nx 1                                              | truncated"
    })
    void rejectsMalformedExpositionWithAReason(String what, String text, String reason) {
        String exposition = text.strip().replace("\\n", "\n");
        assertThatThrownBy(() -> PrometheusText.parse(exposition))
                .as(what).isInstanceOf(ProtocolException.class).hasMessageContaining(reason);
    }

    @Test
    void everyTruncationIsParsedOrRejectedWithAReasonNeverAnotherException() {
        for (int end = 0; end < VALID.length(); end++) {
            String prefix = VALID.substring(0, end);
            try {
                PrometheusText.parse(prefix);
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).as("reason for a cut at %d", end).isNotBlank();
            }
        }
    }
}
