package org.qat4j.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the ONNX checker ({@code onnx.checker.check_model}) that apply from Java to the
 * graphs qat4j writes: IR version and a default-domain opset import; every operator known and
 * introduced at or before that opset; nodes in topological order with every input defined and every
 * output defined once; initializers with a supported element type and raw data of exactly
 * {@code Π dims × element size} bytes; graph inputs and outputs typed with a shape whose first axis is
 * the symbolic batch. Returns the problems found (empty when the graph passes).
 */
public final class OnnxGraphCheck {
    /** Operators the exporter emits, with the opset that introduced their current definition. */
    private static final Map<String, Integer> SINCE = Map.ofEntries(
            Map.entry("Abs", 13),
            Map.entry("Add", 14),
            Map.entry("And", 7),
            Map.entry("AveragePool", 11),
            Map.entry("Cast", 13),
            Map.entry("Ceil", 13),
            Map.entry("Clip", 13),
            Map.entry("Conv", 11),
            Map.entry("DequantizeLinear", 13),
            Map.entry("Div", 14),
            Map.entry("Equal", 13),
            Map.entry("Flatten", 13),
            Map.entry("Floor", 13),
            Map.entry("Gather", 13),
            Map.entry("Greater", 13),
            Map.entry("GreaterOrEqual", 16),
            Map.entry("Identity", 16),
            Map.entry("Less", 13),
            Map.entry("MatMul", 13),
            Map.entry("Max", 13),
            Map.entry("MaxPool", 12),
            Map.entry("Min", 13),
            Map.entry("Mod", 13),
            Map.entry("Mul", 14),
            Map.entry("Neg", 13),
            Map.entry("Pad", 13),
            Map.entry("QuantizeLinear", 13),
            Map.entry("Relu", 14),
            Map.entry("ReduceSum", 13),
            Map.entry("Reshape", 14),
            Map.entry("Round", 11),
            Map.entry("Sub", 14),
            Map.entry("Transpose", 13),
            Map.entry("Where", 16));

    private OnnxGraphCheck() {}

    /** The problems of {@code m}; empty when it passes. */
    public static List<String> check(ModelProto m) {
        List<String> p = new ArrayList<>();
        if (m.getIrVersion() < 8) {
            p.add("ir_version " + m.getIrVersion() + " < 8, the first IR version that carries opset 17");
        }
        long opset = -1;
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = o.getVersion();
            }
        }
        if (opset < 0) {
            p.add("no opset_import for the default domain");
        }
        GraphProto g = m.getGraph();
        Set<String> defined = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            checkInitializer(t, p);
            if (!defined.add(t.getName())) {
                p.add("initializer '" + t.getName() + "' defined twice");
            }
        }
        for (ValueInfoProto v : g.getInputList()) {
            checkValueInfo("input", v, p);
            defined.add(v.getName());
        }
        for (NodeProto n : g.getNodeList()) {
            String where = "node '" + n.getName() + "' (" + n.getOpType() + ")";
            if (!n.getDomain().isEmpty()) {
                p.add(where + ": domain '" + n.getDomain() + "' is not the default domain");
            }
            Integer since = SINCE.get(n.getOpType());
            if (since == null) {
                p.add(where + ": operator not in the exporter's opset table");
            } else if (since > opset) {
                p.add(where + ": introduced in opset " + since + ", the model imports opset " + opset);
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    p.add(where + ": input '" + in + "' is not defined before the node");
                }
            }
            for (String out : n.getOutputList()) {
                if (!defined.add(out)) {
                    p.add(where + ": output '" + out + "' is already defined");
                }
            }
        }
        for (ValueInfoProto v : g.getOutputList()) {
            checkValueInfo("output", v, p);
            if (!defined.contains(v.getName())) {
                p.add("graph output '" + v.getName() + "' is produced by no node");
            }
        }
        if (g.getInputCount() != 1 || g.getOutputCount() != 1) {
            p.add("expected one graph input and one output, got " + g.getInputCount() + " and " + g.getOutputCount());
        }
        return p;
    }

    private static void checkValueInfo(String kind, ValueInfoProto v, List<String> p) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            p.add("graph " + kind + " '" + v.getName() + "' has no tensor type with a shape");
            return;
        }
        var shape = v.getType().getTensorType().getShape();
        if (shape.getDimCount() == 0 || !shape.getDim(0).getDimParam().equals(OnnxGraph.BATCH)) {
            p.add("graph " + kind + " '" + v.getName() + "': the first axis is not the symbolic batch "
                    + OnnxGraph.BATCH);
        }
        for (int a = 1; a < shape.getDimCount(); a++) {
            if (shape.getDim(a).getDimValue() <= 0) {
                p.add("graph " + kind + " '" + v.getName() + "': axis " + a + " has no positive size");
            }
        }
    }

    private static void checkInitializer(TensorProto t, List<String> p) {
        int size = switch (TensorProto.DataType.forNumber(t.getDataType())) {
            case FLOAT, INT32 -> 4;
            case DOUBLE, INT64 -> 8;
            case INT8, UINT8, BOOL -> 1;
            default -> -1;
        };
        if (size < 0) {
            p.add("initializer '" + t.getName() + "': element type " + t.getDataType()
                    + " is not one the exporter writes");
            return;
        }
        long n = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                p.add("initializer '" + t.getName() + "': negative dimension " + d);
            }
            n *= d;
        }
        if (t.getRawData().size() != n * size) {
            p.add("initializer '" + t.getName() + "': raw_data has "
                    + t.getRawData().size() + " bytes, dims " + t.getDimsList() + " need " + n * size);
        }
    }
}
