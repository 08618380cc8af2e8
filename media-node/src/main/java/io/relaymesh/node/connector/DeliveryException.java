package io.relaymesh.node.connector;

/** A sink could not take an event now; the connector retries it later. */
public class DeliveryException extends Exception {

    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
