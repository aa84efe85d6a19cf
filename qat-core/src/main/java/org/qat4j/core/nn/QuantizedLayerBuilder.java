package org.qat4j.core.nn;

/**
 * Builder base of every {@link AbstractQuantizedLayer} in DJL's style ({@code setX} required, {@code optX}
 * optional): what HGQ's and A2Q's layer builders share. A method's builder adds its quantizer settings.
 *
 * @param <B> the concrete builder
 */
@SuppressWarnings("unchecked")
public abstract class QuantizedLayerBuilder<B extends QuantizedLayerBuilder<B>> {

    private boolean bias = true;

    protected QuantizedLayerBuilder() {}

    /** Whether the layer has a bias (default true). */
    public B optBias(boolean bias) {
        this.bias = bias;
        return (B) this;
    }

    /** Whether the layer has a bias. */
    public boolean hasBias() {
        return bias;
    }
}
