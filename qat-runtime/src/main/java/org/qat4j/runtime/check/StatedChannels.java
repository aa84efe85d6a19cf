package org.qat4j.runtime.check;

import org.qat4j.runtime.model.Json;

/**
 * The channels a certificate states for one layer, field by field. Two forms with one meaning: the
 * JSON tree ({@link #of(Json[])}), whose accessors throw the {@code ModelFormatException} naming the
 * field when it is missing or of the wrong type, and {@link ChannelColumns}, filled by the streaming
 * reader only when every channel has every required field in its expected type.
 */
interface StatedChannels {
    int count();

    int channel(int c);

    boolean hasHash(int c);

    String hash(int c);

    long negativeSum(int c);

    long positiveSum(int c);

    int bitsNeeded(int c);

    int signedBitsNeeded(int c);

    boolean holds(int c);

    boolean hasL1Norm(int c);

    long l1Norm(int c);

    boolean hasPositiveWeightSum(int c);

    long positiveWeightSum(int c);

    boolean hasNegativeWeightSum(int c);

    long negativeWeightSum(int c);

    /** The tree form: every access goes through {@link Json}'s checked accessors. */
    static StatedChannels of(Json[] channels) {
        return new StatedChannels() {
            @Override
            public int count() {
                return channels.length;
            }

            @Override
            public int channel(int c) {
                return channels[c].integer("channel");
            }

            @Override
            public boolean hasHash(int c) {
                return channels[c].has("weightSha256");
            }

            @Override
            public String hash(int c) {
                return channels[c].string("weightSha256");
            }

            @Override
            public long negativeSum(int c) {
                return channels[c].longValue("negativeSum");
            }

            @Override
            public long positiveSum(int c) {
                return channels[c].longValue("positiveSum");
            }

            @Override
            public int bitsNeeded(int c) {
                return channels[c].integer("bitsNeeded");
            }

            @Override
            public int signedBitsNeeded(int c) {
                return channels[c].integer("signedBitsNeeded");
            }

            @Override
            public boolean holds(int c) {
                return channels[c].bool("holds");
            }

            @Override
            public boolean hasL1Norm(int c) {
                return channels[c].has("l1Norm");
            }

            @Override
            public long l1Norm(int c) {
                return channels[c].longValue("l1Norm");
            }

            @Override
            public boolean hasPositiveWeightSum(int c) {
                return channels[c].has("positiveWeightSum");
            }

            @Override
            public long positiveWeightSum(int c) {
                return channels[c].longValue("positiveWeightSum");
            }

            @Override
            public boolean hasNegativeWeightSum(int c) {
                return channels[c].has("negativeWeightSum");
            }

            @Override
            public long negativeWeightSum(int c) {
                return channels[c].longValue("negativeWeightSum");
            }
        };
    }
}
