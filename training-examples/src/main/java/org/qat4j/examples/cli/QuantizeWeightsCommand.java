package org.qat4j.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.a2q.quant.PostTrainingWeightQuantization;
import org.qat4j.a2q.quant.QuantizedWeights;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.bound.AccumulatorInterval;
import org.qat4j.runtime.bound.ChannelSums;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.io.NpyReader;
import org.qat4j.runtime.model.A2qConstraint.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat quantize-weights}: A2Q / A2Q+ integer weights of one float32 {@code .npy} weight tensor at
 * initialization (s = absmax/(2^(M−1)−1), g = ‖v‖₁, optional EP-init; arXiv 2308.13504, arXiv 2401.10432), written
 * as JSON with each channel's integers and sums. Every channel is re-checked with exact integer arithmetic; a
 * violation (which the construction rules out) would be an error, never a silent output.
 */
@Command(
        name = "quantize-weights",
        mixinStandardHelpOptions = true,
        description = "Quantize a float32 weight tensor (.npy, [out,in] or [out,in,kh,kw]) with A2Q or A2Q+.")
public final class QuantizeWeightsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--method", required = true, description = "a2q or a2q+")
    String method;

    @Option(names = "--weights", required = true, description = "float32 .npy file, shape [out,in] or [out,in,kh,kw]")
    Path weights;

    @Option(names = "--acc-bits", required = true, description = "accumulator bits P")
    int accBits;

    @Option(names = "--input-bits", required = true, description = "input bits N")
    int inputBits;

    @Option(names = "--input-signed", description = "inputs are signed (default unsigned)")
    boolean inputSigned;

    @Option(names = "--weight-bits", required = true, description = "weight bits M")
    int weightBits;

    @Option(names = "--ep-init", description = "apply EP-init (L1-ball projection) before quantizing")
    boolean epInit;

    @Option(names = "--out", required = true, description = "output JSON file (written atomically)")
    Path out;

    @Override
    public Integer call() {
        try {
            Variant variant = Variant.parse(method);
            if (!variant.isConstrained()) {
                throw new IllegalArgumentException("--method must be a2q or a2q+, got '" + method + "'");
            }
            NpyReader.Float32Array w = NpyReader.readFloat32(weights, 2, 4);
            QuantizedWeights q = PostTrainingWeightQuantization.quantize(
                    w.data(), w.shape(), variant, accBits, inputBits, inputSigned, weightBits, epInit);
            JsonObject json = toJson(q, variant, w.shape());
            AtomicFiles.writeString(
                    out, new GsonBuilder().setPrettyPrinting().create().toJson(json));
            spec.commandLine()
                    .getOut()
                    .println("wrote " + out + ": " + q.channels() + " channels, "
                            + json.get("clampedChannels").getAsInt() + " clamped, minimum P "
                            + json.get("minAccBits").getAsInt());
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw UserError.usage(e.getMessage());
        } catch (IOException e) {
            throw UserError.input(ErrorReporter.message(e), e);
        }
    }

    JsonObject toJson(QuantizedWeights q, Variant variant, long[] shape) {
        JsonObject o = new JsonObject();
        o.addProperty("method", variant.cliName());
        o.addProperty("accBits", accBits);
        o.addProperty("inputBits", inputBits);
        o.addProperty("inputSigned", inputSigned);
        o.addProperty("weightBits", weightBits);
        o.addProperty("epInit", epInit);
        o.addProperty("bound", q.bound());
        o.addProperty(
                "boundExact",
                (variant == Variant.A2Q
                                ? A2qBounds.tA2q(accBits, inputBits, inputSigned)
                                : A2qBounds.tA2qPlus(accBits, inputBits))
                        .toString());
        JsonArray sh = new JsonArray();
        for (long d : shape) {
            sh.add(d);
        }
        o.add("shape", sh);
        JsonArray channels = new JsonArray();
        int minP = 1;
        int clamped = 0;
        for (int c = 0; c < q.channels(); c++) {
            long[] ints = q.intWeights()[c];
            ChannelSums s = ChannelSums.of(ints);
            boolean ok = variant == Variant.A2Q
                    ? A2qBounds.satisfiesA2q(s.l1(), accBits, inputBits, inputSigned)
                    : A2qBounds.satisfiesA2qPlus(s.posSum(), s.negSum(), accBits, inputBits);
            AccumulatorInterval iv = AccumulatorInterval.worstCase(ints, inputBits, inputSigned);
            if (!ok || !iv.fitsSigned(accBits)) {
                throw new IllegalStateException("channel " + c + " violates its bound: " + s + ", worst case " + iv);
            }
            JsonObject ch = new JsonObject();
            JsonArray arr = new JsonArray();
            for (long v : ints) {
                arr.add(v);
            }
            ch.add("intWeights", arr);
            ch.addProperty("scale", q.scale()[c]);
            ch.addProperty("preScale", q.preScale()[c]);
            if (variant == Variant.A2Q_PLUS) {
                ch.addProperty("preZeroPoint", q.preZeroPoint()[c]);
            }
            ch.addProperty("l1", s.l1());
            ch.addProperty("posSum", s.posSum());
            ch.addProperty("negSum", s.negSum());
            ch.addProperty("clampActive", q.clampActive()[c]);
            ch.addProperty("worstCaseMin", iv.min());
            ch.addProperty("worstCaseMax", iv.max());
            channels.add(ch);
            clamped += q.clampActive()[c] ? 1 : 0;
            minP = Math.max(
                    minP,
                    variant == Variant.A2Q
                            ? A2qBounds.minAccumulatorBitsA2q(s.l1(), inputBits, inputSigned)
                            : A2qBounds.minAccumulatorBitsA2qPlus(s.posSum(), s.negSum(), inputBits));
        }
        o.addProperty("minAccBits", minP);
        o.addProperty("clampedChannels", clamped);
        o.add("channels", channels);
        return o;
    }
}
