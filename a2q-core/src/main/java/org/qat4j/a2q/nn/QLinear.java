package org.qat4j.a2q.nn;

import ai.djl.MalformedModelException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.core.nn.DenseGeometry;

/**
 * A fully connected layer with A2Q / A2Q+ / unconstrained integer weights:
 * {@code out = (Σ_i q_ci · x_int,i) · (s_x · s_c) + b_c} (order and exactness in {@link AbstractQLayer}).
 * Weight shape {@code [units, in]} as DJL's {@code Linear} ({@link DenseGeometry}); input {@code [..., in]}.
 */
public final class QLinear extends AbstractQLayer {

    private final long units;

    private QLinear(Builder b) {
        super(b, new DenseGeometry(b.units));
        this.units = b.units;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public DenseGeometry geometry() {
        return (DenseGeometry) super.geometry();
    }

    public long getUnits() {
        return units;
    }

    @Override
    protected void saveLayerMetadata(DataOutputStream os) throws IOException {
        os.writeLong(units);
    }

    @Override
    protected void loadLayerMetadata(DataInputStream is) throws IOException, MalformedModelException {
        long u = is.readLong();
        if (u != units) {
            throw new MalformedModelException("QLinear: file has units=" + u + " but the block has units=" + units);
        }
    }

    /** Builder: {@code setUnits}, {@code setVariant}, {@code setWeightBits} required. */
    public static final class Builder extends QLayerBuilder<Builder> {
        private long units = -1;

        /** Output features (required, ≥ 1). */
        public Builder setUnits(long units) {
            this.units = units;
            return this;
        }

        public QLinear build() {
            if (units < 1) {
                throw new IllegalArgumentException("QLinear: units must be >= 1, got " + units);
            }
            validate("QLinear");
            return new QLinear(this);
        }
    }
}
