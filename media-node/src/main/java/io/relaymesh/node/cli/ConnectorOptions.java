package io.relaymesh.node.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags of the event connector (the connector role, and the one inside standalone, media and gateway nodes). */
public final class ConnectorOptions {

    @Option(names = "--nats-url", paramLabel = "URL", defaultValue = "${env:RELAYMESH_NATS_URL}",
            description = "NATS server events are delivered to, e.g. nats://127.0.0.1:4222 (env RELAYMESH_NATS_URL). "
                    + "The connector role defaults to nats://127.0.0.1:4222; standalone, media and gateway nodes export "
                    + "their events only when this or --webhook-url is set.")
    String natsUrl;

    @Option(names = "--events-subject", paramLabel = "SUBJECT", defaultValue = "${env:RELAYMESH_EVENTS_SUBJECT:-relaymesh.events}",
            description = "NATS subject of the events (env RELAYMESH_EVENTS_SUBJECT, default ${DEFAULT-VALUE}).")
    String eventsSubject;

    @Option(names = "--webhook-url", paramLabel = "URL", split = ",", defaultValue = "${env:RELAYMESH_WEBHOOK_URL}",
            description = "URL events are POSTed to, signed with the cluster secret; repeatable (env RELAYMESH_WEBHOOK_URL).")
    List<String> webhookUrls = new ArrayList<>();
}
