package io.relaymesh.node.metrics;

/**
 * One point of the dashboard's charts: the node over one sampling interval. Rates are per second over the
 * interval; latency quantiles are of the datagrams forwarded in it. Null values (unknown CPU, no datagram
 * forwarded) are left out of the JSON.
 *
 * @param seq               increases by one per sample; clients ask for samples after the last one they have
 * @param timeMillis        wall-clock time at the end of the interval (Unix epoch milliseconds)
 * @param processCpu        percent of all cores used by the node process (null when unknown)
 * @param systemCpu         percent of the machine's cores in use (null when unknown)
 * @param latencyP50Micros  median in-node time of forwarded RTP datagrams, microseconds
 * @param latencyP99Micros  99th percentile of the same
 */
public record NodeSample(long seq, long timeMillis, long publishing, long viewing, long audioTracks,
                         long videoTracks, double bitsInPerSecond, double bitsOutPerSecond,
                         double packetsInPerSecond, double packetsOutPerSecond, Double processCpu,
                         Double systemCpu, long heapUsedBytes, long directUsedBytes, Double latencyP50Micros,
                         Double latencyP99Micros) {
}
