package org.qat4j.runtime.check;

import java.util.Arrays;

/**
 * A layer's stated channels in columns (one array per field), filled by {@link CertificateReader} from
 * channels whose required fields are all present in their expected JSON types; optional fields carry a
 * presence bit, since a stated value of any sign must still be compared.
 */
final class ChannelColumns implements StatedChannels {
    static final int HASH = 1;
    static final int L1 = 2;
    static final int Q_POS = 4;
    static final int Q_NEG = 8;

    private int count;
    private int[] channel = new int[16];
    private String[] hash = new String[16];
    private long[] neg = new long[16];
    private long[] pos = new long[16];
    private int[] bits = new int[16];
    private int[] signedBits = new int[16];
    private boolean[] holds = new boolean[16];
    private long[] l1 = new long[16];
    private long[] qPos = new long[16];
    private long[] qNeg = new long[16];
    private byte[] present = new byte[16];

    /** Appends one channel; {@code flags} says which optional fields were given. */
    void add(int ch, String h, long n, long p, int b, int sb, boolean ok, long norm, long qp, long qn, int flags) {
        if (count == channel.length) {
            int size = count * 2;
            channel = Arrays.copyOf(channel, size);
            hash = Arrays.copyOf(hash, size);
            neg = Arrays.copyOf(neg, size);
            pos = Arrays.copyOf(pos, size);
            bits = Arrays.copyOf(bits, size);
            signedBits = Arrays.copyOf(signedBits, size);
            holds = Arrays.copyOf(holds, size);
            l1 = Arrays.copyOf(l1, size);
            qPos = Arrays.copyOf(qPos, size);
            qNeg = Arrays.copyOf(qNeg, size);
            present = Arrays.copyOf(present, size);
        }
        channel[count] = ch;
        hash[count] = h;
        neg[count] = n;
        pos[count] = p;
        bits[count] = b;
        signedBits[count] = sb;
        holds[count] = ok;
        l1[count] = norm;
        qPos[count] = qp;
        qNeg[count] = qn;
        present[count] = (byte) flags;
        count++;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int channel(int c) {
        return channel[c];
    }

    @Override
    public boolean hasHash(int c) {
        return (present[c] & HASH) != 0;
    }

    @Override
    public String hash(int c) {
        return hash[c];
    }

    @Override
    public long negativeSum(int c) {
        return neg[c];
    }

    @Override
    public long positiveSum(int c) {
        return pos[c];
    }

    @Override
    public int bitsNeeded(int c) {
        return bits[c];
    }

    @Override
    public int signedBitsNeeded(int c) {
        return signedBits[c];
    }

    @Override
    public boolean holds(int c) {
        return holds[c];
    }

    @Override
    public boolean hasL1Norm(int c) {
        return (present[c] & L1) != 0;
    }

    @Override
    public long l1Norm(int c) {
        return l1[c];
    }

    @Override
    public boolean hasPositiveWeightSum(int c) {
        return (present[c] & Q_POS) != 0;
    }

    @Override
    public long positiveWeightSum(int c) {
        return qPos[c];
    }

    @Override
    public boolean hasNegativeWeightSum(int c) {
        return (present[c] & Q_NEG) != 0;
    }

    @Override
    public long negativeWeightSum(int c) {
        return qNeg[c];
    }
}
