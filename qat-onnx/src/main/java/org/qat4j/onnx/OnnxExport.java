package org.qat4j.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.nio.file.Path;
import org.qat4j.runtime.io.AtomicFiles;

/**
 * The result of an ONNX export: the form written, why that form, and the model.
 *
 * @param form the graph form
 * @param reason one line saying why this form was chosen (or why QCDQ was not)
 * @param model the ONNX model
 */
public record OnnxExport(OnnxForm form, String reason, ModelProto model) {

    /** The serialized model. */
    public byte[] bytes() {
        return model.toByteArray();
    }

    /** Writes the model to {@code path} through a temporary file and a rename. */
    public void write(Path path) throws IOException {
        AtomicFiles.writeBytes(path, bytes());
    }
}
