package org.qat4j.hgq.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.core.nn.DenseGeometry;

/**
 * HGQ dense layer (arXiv 2405.00645, §3): {@code y = act(iq(x)·kq(W)ᵀ + bq(b))} with per-input
 * activation bits, per-weight kernel bits and per-output bias bits by default; optionally with a
 * batch norm folded into W and b during training ({@link Builder#optFusedBatchNorm}).
 *
 * <p>Input: (batch, in). Kernel layout (out, in), as DJL's {@code Linear} ({@link DenseGeometry}). EBOPs:
 * {@code Σ_o Σ_j b_in[j]·b_w[o, j]}.
 */
public final class HDense extends AbstractHgqLayer {

    private final long units;

    private HDense(Builder b) {
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

    /** Number of outputs. */
    public long getUnits() {
        return units;
    }

    /** Number of inputs (after initialisation or loading). */
    public long getInFeatures() {
        return inputShapes[0].get(1);
    }

    @Override
    protected void checkInputShape(Shape inputShape) {
        if (inputShape.dimension() != 2) {
            throw new IllegalArgumentException(
                    "HDense expects input of shape (batch, features); got " + inputShape + " (add a QatFlatten first)");
        }
    }

    @Override
    protected void saveLayerMetadata(DataOutputStream os) throws IOException {
        os.writeLong(units);
    }

    @Override
    protected void loadLayerMetadata(DataInputStream is) throws IOException, MalformedModelException {
        checkSame("units", is.readLong(), units);
    }

    /** Builder: {@link #setUnits} is required. */
    public static final class Builder extends HgqLayerBuilder<Builder> {
        private long units = -1;

        private Builder() {}

        /** Number of outputs (required, ≥ 1). */
        public Builder setUnits(long units) {
            this.units = units;
            return this;
        }

        public HDense build() {
            if (units < 1) {
                throw new IllegalArgumentException("HDense: units must be >= 1, got " + units);
            }
            settings.validate("HDense");
            return new HDense(this);
        }
    }
}
