package org.qat4j.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import org.qat4j.runtime.cert.ChannelCertificate;
import org.qat4j.runtime.cert.LayerCertificate;
import org.qat4j.runtime.cert.OverflowCertificate;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.LibraryVersion;
import org.qat4j.runtime.model.TensorKind;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * Exports an {@link IntegerModel} to an ONNX graph (opset 17, IR 8) that ONNX Runtime runs bit for bit
 * like {@code IntegerRuntime}: the float32 output bit patterns (or the int64 outputs) are equal for
 * every input. The graph has one float32 input {@code [N, shape...]} named like the model input and one
 * output named like the model output.
 *
 * <p>{@link #export(IntegerModel)} writes {@link OnnxForm#QCDQ} where {@link QcdqFormWriter} can prove
 * it exact and {@link OnnxForm#EXACT_FIXED_POINT} otherwise; the result says which and why.
 */
public final class OnnxExporter {
    private OnnxExporter() {}

    /**
     * Exports in the QCDQ form when the model qualifies, else in the exact fixed-point form.
     *
     * @throws OnnxExportException if the model's certificate does not hold, or a value leaves float64's exact range
     */
    public static OnnxExport export(IntegerModel model) {
        OverflowCertificate cert = certificate(model);
        String refusal = QcdqFormWriter.refusal(model, cert);
        if (refusal == null) {
            return write(
                    model,
                    cert,
                    OnnxForm.QCDQ,
                    "every operand fits 8 bits and the certificate bounds every partial sum below 2^24");
        }
        return write(model, cert, OnnxForm.EXACT_FIXED_POINT, "not QCDQ: " + refusal);
    }

    /**
     * Exports in the requested form.
     *
     * @throws OnnxExportException if the model does not qualify for the form (the message says why)
     */
    public static OnnxExport export(IntegerModel model, OnnxForm form) {
        OverflowCertificate cert = certificate(model);
        if (form == OnnxForm.QCDQ) {
            String refusal = QcdqFormWriter.refusal(model, cert);
            if (refusal != null) {
                throw new OnnxExportException("QCDQ form refused: " + refusal);
            }
            return write(model, cert, form, "requested");
        }
        return write(model, cert, form, "requested");
    }

    /**
     * The model's certificate, which must hold: the runtime stops with an overflow error where a declared
     * accumulator is exceeded, which a graph computing exact sums cannot repeat.
     */
    private static OverflowCertificate certificate(IntegerModel model) {
        for (org.qat4j.runtime.model.ModelOp op : model.ops()) {
            if (op instanceof org.qat4j.runtime.model.SparqOp) {
                throw new OnnxExportException(
                        "op '" + op.name() + "' (sparq): SPARQ's data-dependent activation windows (arXiv 2105.11010)"
                                + " have no ONNX form; run the model with the integer runtime or export it to C (qat export-c)");
            }
        }
        OverflowCertificate cert = CertificateProver.prove(model);
        for (LayerCertificate l : cert.layers()) {
            for (ChannelCertificate c : l.channels()) {
                if (!c.holds()) {
                    throw new OnnxExportException("the overflow certificate does not hold: layer '" + l.layer()
                            + "' channel " + c.channel()
                            + " has partial sums in [" + c.negativeSum() + ", " + c.positiveSum()
                            + "], beyond its declared " + l.accumulatorBits()
                            + "-bit accumulator" + (l.a2qLimit() >= 0 ? " or its " + l.method() + " weight bound" : "")
                            + "; the runtime stops on such an overflow, which an ONNX graph cannot repeat");
                }
            }
        }
        return cert;
    }

    private static OnnxExport write(IntegerModel model, OverflowCertificate cert, OnnxForm form, String reason) {
        OnnxGraph g = new OnnxGraph("qat4j " + model.provenance().method() + " "
                + model.provenance().recipe());
        String input = model.inputName();
        String output = model.outputName().equals(input) ? model.outputName() + "_out" : model.outputName();
        g.input(input, TensorProto.DataType.FLOAT, model.inputShape());
        g.fresh(output); // reserved for the final node
        ExactFormWriter.Value v = new ExactFormWriter(g, model, cert, form).writeOps(input);
        boolean isFloat = model.tensor(model.outputName()).kind() == TensorKind.FLOAT;
        TensorProto.DataType outType = isFloat ? TensorProto.DataType.FLOAT : TensorProto.DataType.INT64;
        String last = isFloat
                ? v.name()
                : g.op("Cast", output + "/int64", v.name(), OnnxGraph.Attr.i("to", outType.getNumber()));
        g.identity(last, output);
        g.output(output, outType, model.tensor(model.outputName()).shape());
        g.metadata("qat4j.form", form.label());
        g.metadata("qat4j.method", model.provenance().method());
        g.metadata("qat4j.recipe", model.provenance().recipe());
        g.metadata("qat4j.seed", Long.toString(model.provenance().seed()));
        g.metadata("qat4j.certificate", "holds");
        String doc = "Exported by " + LibraryVersion.VERSION + " in the " + form.label() + " form (" + reason
                + "); ONNX Runtime " + "reproduces qat4j's IntegerRuntime bit for bit.";
        return new OnnxExport(form, reason, g.build(LibraryVersion.VERSION, doc));
    }
}
