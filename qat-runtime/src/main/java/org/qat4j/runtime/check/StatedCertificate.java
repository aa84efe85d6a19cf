package org.qat4j.runtime.check;

import java.util.ArrayList;
import java.util.List;
import org.qat4j.runtime.model.Json;

/**
 * A certificate as read: the root object as a JSON tree, and its layers either streamed by
 * {@link CertificateReader} or, when {@code streamedLayers} is null, in the tree under {@code layers}.
 *
 * @param root the root object ({@code $}); holds {@code layers} when {@code streamedLayers} is null
 * @param streamedLayers the layers read by the streaming reader, or null
 */
record StatedCertificate(Json root, List<StatedLayer> streamedLayers) {

    /** The stated layers; from the tree, this throws the tree's message when they are absent or not objects. */
    List<StatedLayer> layers() {
        if (streamedLayers != null) {
            return streamedLayers;
        }
        Json[] tree = root.objects("layers");
        List<StatedLayer> out = new ArrayList<>(tree.length);
        for (Json l : tree) {
            out.add(StatedLayer.tree(l));
        }
        return out;
    }

    /** Whether the layers came from the streaming reader (tests: canonical certificates take that path). */
    boolean streamed() {
        return streamedLayers != null;
    }
}
