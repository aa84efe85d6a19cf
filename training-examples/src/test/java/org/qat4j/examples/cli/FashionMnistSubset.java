package org.qat4j.examples.cli;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The first n training and m test samples of the real Fashion-MNIST files, as an uncompressed {@code --data-dir}. */
final class FashionMnistSubset {

    /** The Debian package {@code dataset-fashion-mnist}'s directory. */
    static final Path SOURCE = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnistSubset() {}

    static Path write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        copy("train-images-idx3-ubyte", dir, train, 784);
        copy("train-labels-idx1-ubyte", dir, train, 1);
        copy("t10k-images-idx3-ubyte", dir, test, 784);
        copy("t10k-labels-idx1-ubyte", dir, test, 1);
        return dir;
    }

    private static void copy(String name, Path dir, int n, int bytesPerSample) throws IOException {
        try (InputStream f = new GZIPInputStream(
                        new BufferedInputStream(Files.newInputStream(SOURCE.resolve(name + ".gz"))));
                DataInputStream in = new DataInputStream(f);
                OutputStream o = Files.newOutputStream(dir.resolve(name));
                DataOutputStream out = new DataOutputStream(o)) {
            int magic = in.readInt();
            int count = in.readInt();
            if (count < n) {
                throw new IOException(name + " has " + count + " samples, fewer than " + n);
            }
            out.writeInt(magic);
            out.writeInt(n);
            for (int d = 0; d < (magic & 0xff) - 1; d++) {
                out.writeInt(in.readInt());
            }
            out.write(in.readNBytes(n * bytesPerSample));
        }
    }
}
