package io.relaymesh.node.sdp;

/**
 * One {@code <type>=<value>} line that the model keeps verbatim (for example {@code i=}, {@code u=}, {@code k=},
 * {@code r=}, {@code z=}).
 */
public record SdpLine(char type, String value) {

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
