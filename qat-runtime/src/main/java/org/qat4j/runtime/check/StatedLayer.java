package org.qat4j.runtime.check;

import org.qat4j.runtime.model.Json;

/**
 * One layer as a certificate states it: its small fields as a JSON tree, and its bulk — the input
 * bounds and the channels — either in arrays read by {@link CertificateReader} or, when {@code null},
 * still in {@link #fields()}, read from there with the tree's checked accessors.
 *
 * @param fields the layer's object ({@code $.layers[n]}); holds the bulk members when they are null here
 * @param inputMin stated lower input bounds, or null
 * @param inputMax stated upper input bounds, or null
 * @param streamedChannels stated channels in columns, or null
 */
record StatedLayer(Json fields, long[] inputMin, long[] inputMax, StatedChannels streamedChannels) {

    /** A layer read as a tree only. */
    static StatedLayer tree(Json fields) {
        return new StatedLayer(fields, null, null, null);
    }

    /** The stated channels; from the tree, this throws the tree's message when they are absent or not objects. */
    StatedChannels channels() {
        return streamedChannels != null ? streamedChannels : StatedChannels.of(fields.objects("channels"));
    }
}
