package org.qat4j.datasets;

import ai.djl.training.dataset.Dataset;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where an IDX image dataset lives: its four file names (each found gzip-compressed as
 * {@code NAME.gz} or raw as {@code NAME}), system directories to look in, download mirrors and the
 * checksums a download must match.
 *
 * @param name display name, e.g. {@code Fashion-MNIST}
 * @param cacheName folder name under the download cache
 * @param files file name (without {@code .gz}) per split and role
 * @param systemDirectories directories searched after the user's
 * @param mirrors base URIs tried in order; a file is fetched as {@code mirror + NAME.gz}
 * @param checksums expected checksum per downloaded file name ({@code NAME.gz})
 * @param installHint how to install the data on this machine, shown when nothing is found offline
 */
public record IdxSource(
        String name,
        String cacheName,
        Map<String, String> files,
        List<Path> systemDirectories,
        List<URI> mirrors,
        Map<String, Checksum> checksums,
        String installHint) {

    /** Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv 1708.07747). */
    public static final IdxSource FASHION_MNIST = new IdxSource(
            "Fashion-MNIST",
            "fashion-mnist",
            standardFiles(),
            List.of(Path.of("/usr/share/datasets/fashion-mnist")),
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            // Digests of the decompressed IDX bytes: the same whichever gzip packaging a mirror serves.
            Map.of(
                    "train-images-idx3-ubyte.gz",
                    Checksum.sha256OfContent("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    "train-labels-idx1-ubyte.gz",
                    Checksum.sha256OfContent("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                    "t10k-images-idx3-ubyte.gz",
                    Checksum.sha256OfContent("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    "t10k-labels-idx1-ubyte.gz",
                    Checksum.sha256OfContent("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")),
            "apt-get install dataset-fashion-mnist");

    /** MNIST (LeCun, Bottou, Bengio, Haffner 1998). */
    public static final IdxSource MNIST = new IdxSource(
            "MNIST",
            "mnist",
            standardFiles(),
            List.of(Path.of("/usr/share/datasets/mnist")),
            List.of(
                    URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            Map.of(
                    "train-images-idx3-ubyte.gz",
                    Checksum.sha1("6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d"),
                    "train-labels-idx1-ubyte.gz",
                    Checksum.sha1("2a80914081dc54586dbdf242f9805a6b8d2a15fc"),
                    "t10k-images-idx3-ubyte.gz",
                    Checksum.sha1("c3a25af1f52dad7f726cce8cacb138654b760d48"),
                    "t10k-labels-idx1-ubyte.gz",
                    Checksum.sha1("763e7fa3757d93b0cdec073cef058b2004252c17")),
            "put the four MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                    + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in a directory and pass it");

    /** Copies the collections so the record is immutable. */
    public IdxSource {
        files = Map.copyOf(files);
        systemDirectories = List.copyOf(systemDirectories);
        mirrors = List.copyOf(mirrors);
        checksums = Map.copyOf(checksums);
    }

    /** The file name (without {@code .gz}) of the images of a split. */
    public String imagesFile(Dataset.Usage usage) {
        return files.get(key(usage, "images"));
    }

    /** The file name (without {@code .gz}) of the labels of a split. */
    public String labelsFile(Dataset.Usage usage) {
        return files.get(key(usage, "labels"));
    }

    private static String key(Dataset.Usage usage, String role) {
        if (usage == Dataset.Usage.TRAIN) {
            return "train-" + role;
        }
        if (usage == Dataset.Usage.TEST) {
            return "test-" + role;
        }
        throw new IllegalArgumentException("usage must be TRAIN or TEST, got " + usage);
    }

    /** The MNIST-style names shared by MNIST and Fashion-MNIST. */
    public static Map<String, String> standardFiles() {
        return Map.of(
                "train-images",
                "train-images-idx3-ubyte",
                "train-labels",
                "train-labels-idx1-ubyte",
                "test-images",
                "t10k-images-idx3-ubyte",
                "test-labels",
                "t10k-labels-idx1-ubyte");
    }
}
