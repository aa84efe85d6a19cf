package org.qat4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.List;

/**
 * The ONNX graph (opset 17) of a {@link BenchNetwork}'s plain float32 network with the weights of an
 * initialized DJL block: {@code Conv} (kernel, stride, symmetric padding), {@code Relu}, {@code Flatten}
 * (axis 1) and {@code Gemm} with {@code transB = 1} (DJL's Linear stores weights {@code [out, in]}).
 * Input {@code x} has a symbolic batch axis; output {@code y}.
 */
final class OnnxFloatGraph {
    private OnnxFloatGraph() {}

    static byte[] build(BenchNetwork spec, SequentialBlock plain) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(spec.name());
        g.addInput(floatValue("x", spec.inputShape()));
        List<Block> weighted = plain.getChildren().values().stream()
                .filter(b -> b instanceof Linear || b instanceof Conv2d)
                .toList();
        String cur = "x";
        boolean spatial = spec.inputShape().length == 3;
        // the same layer sequence as BenchNetwork.plainFloat
        for (int i = 0; i < spec.layers().size(); i++) {
            BenchLayer l = spec.layers().get(i);
            Block b = weighted.get(i);
            if (!l.conv() && spatial) {
                g.addNode(NodeProto.newBuilder()
                        .setOpType("Flatten")
                        .addInput(cur)
                        .addOutput("flat" + i)
                        .setName("flatten" + i)
                        .addAttribute(AttributeProto.newBuilder()
                                .setName("axis")
                                .setType(AttributeProto.AttributeType.INT)
                                .setI(1)));
                cur = "flat" + i;
                spatial = false;
            }
            String w = "w" + i;
            String bias = "b" + i;
            g.addInitializer(tensor(w, b.getParameters().get("weight").getArray()));
            g.addInitializer(tensor(bias, b.getParameters().get("bias").getArray()));
            NodeProto.Builder n = NodeProto.newBuilder()
                    .addInput(cur)
                    .addInput(w)
                    .addInput(bias)
                    .addOutput("layer" + i)
                    .setName("layer" + i);
            if (l.conv()) {
                n.setOpType("Conv")
                        .addAttribute(ints("kernel_shape", l.kernel(), l.kernel()))
                        .addAttribute(ints("strides", l.stride(), l.stride()))
                        .addAttribute(ints("pads", l.padding(), l.padding(), l.padding(), l.padding()));
            } else {
                n.setOpType("Gemm")
                        .addAttribute(AttributeProto.newBuilder()
                                .setName("transB")
                                .setType(AttributeProto.AttributeType.INT)
                                .setI(1));
            }
            g.addNode(n);
            cur = "layer" + i;
            if (i < spec.layers().size() - 1) {
                g.addNode(NodeProto.newBuilder()
                        .setOpType("Relu")
                        .addInput(cur)
                        .addOutput("relu" + i)
                        .setName("relu" + i));
                cur = "relu" + i;
            }
        }
        g.addNode(NodeProto.newBuilder()
                .setOpType("Identity")
                .addInput(cur)
                .addOutput("y")
                .setName("output"));
        g.addOutput(ValueInfoProto.newBuilder()
                .setName("y")
                .setType(TypeProto.newBuilder()
                        .setTensorType(
                                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()))));
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("qat4j-bench")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(g)
                .build()
                .toByteArray();
    }

    private static ValueInfoProto floatValue(String name, int[] perSample) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int d : perSample) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT.getNumber())
                                .setShape(s)))
                .build();
    }

    private static TensorProto tensor(String name, NDArray a) {
        TensorProto.Builder t =
                TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        for (long d : a.getShape().getShape()) {
            t.addDims(d);
        }
        for (float v : a.toFloatArray()) {
            t.addFloatData(v);
        }
        return t.build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }
}
