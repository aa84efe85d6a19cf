package org.qat4j.datasets;

/**
 * Images read from an IDX file: {@code count} images of {@code rows × cols} unsigned bytes, row-major,
 * image after image (LeCun et al., "Gradient-based learning applied to document recognition", 1998,
 * the MNIST file format).
 *
 * @param count number of images
 * @param rows rows per image
 * @param cols columns per image
 * @param pixels {@code count·rows·cols} unsigned bytes (read with {@code & 0xFF})
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    /** Pixels per image. */
    public int pixelsPerImage() {
        return rows * cols;
    }
}
