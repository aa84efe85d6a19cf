package org.qat4j.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A small builder over ONNX's generated protobuf classes ({@code ai.onnx.proto.OnnxMl}): nodes of the
 * default domain, initializers stored as little-endian raw data, one batch-major input and output
 * with a symbolic batch axis {@code N}. Node outputs get unique names from a hint.
 */
final class OnnxGraph {
    /** ONNX IR version written (IR 8 carries opset 17). */
    static final long IR_VERSION = 8;
    /** Default-domain opset of every graph. */
    static final long OPSET = 17;
    /** Name of the symbolic batch axis. */
    static final String BATCH = "N";

    /** A node attribute. */
    record Attr(String name, AttributeProto proto) {
        static Attr i(String name, long v) {
            return new Attr(
                    name,
                    AttributeProto.newBuilder()
                            .setName(name)
                            .setType(AttributeProto.AttributeType.INT)
                            .setI(v)
                            .build());
        }

        static Attr ints(String name, int... v) {
            AttributeProto.Builder b =
                    AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (int x : v) {
                b.addInts(x);
            }
            return new Attr(name, b.build());
        }
    }

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int counter;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A fresh tensor name starting with {@code hint}. */
    String fresh(String hint) {
        String base = hint.replaceAll("[^A-Za-z0-9_./-]", "_");
        String n = base;
        while (!names.add(n)) {
            n = base + "_" + (++counter);
        }
        return n;
    }

    /** Adds a node with one output; returns the output's name. */
    String op(String opType, String hint, String[] inputs, Attr... attrs) {
        String out = fresh(hint);
        NodeProto.Builder n = NodeProto.newBuilder()
                .setOpType(opType)
                .setName(out + "/" + opType)
                .addOutput(out);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (Attr a : attrs) {
            n.addAttribute(a.proto());
        }
        graph.addNode(n);
        return out;
    }

    /** An Identity node writing {@code in} to the reserved name {@code out}. */
    void identity(String in, String out) {
        graph.addNode(NodeProto.newBuilder()
                .setOpType("Identity")
                .setName(out + "/Identity")
                .addInput(in)
                .addOutput(out));
    }

    /** Shorthand for {@link #op(String, String, String[], Attr...)}. */
    String op(String opType, String hint, String a, Attr... attrs) {
        return op(opType, hint, new String[] {a}, attrs);
    }

    String op(String opType, String hint, String a, String b, Attr... attrs) {
        return op(opType, hint, new String[] {a, b}, attrs);
    }

    String op(String opType, String hint, String a, String b, String c, Attr... attrs) {
        return op(opType, hint, new String[] {a, b, c}, attrs);
    }

    private String init(String hint, TensorProto.DataType type, long[] dims, ByteBuffer raw) {
        String n = fresh(hint);
        TensorProto.Builder t = TensorProto.newBuilder().setName(n).setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        raw.flip();
        t.setRawData(ByteString.copyFrom(raw));
        graph.addInitializer(t);
        return n;
    }

    private static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    String constDouble(String hint, double[] v, long... dims) {
        ByteBuffer b = buffer(8 * v.length);
        for (double x : v) {
            b.putDouble(x);
        }
        return init(hint, TensorProto.DataType.DOUBLE, dims, b);
    }

    String constFloat(String hint, float[] v, long... dims) {
        ByteBuffer b = buffer(4 * v.length);
        for (float x : v) {
            b.putFloat(x);
        }
        return init(hint, TensorProto.DataType.FLOAT, dims, b);
    }

    /** A constant of {@code type} (FLOAT or DOUBLE) holding integer or real values exact in that type. */
    String constReal(String hint, NumType type, double[] v, long... dims) {
        if (type == NumType.F64) {
            return constDouble(hint, v, dims);
        }
        float[] f = new float[v.length];
        for (int t = 0; t < v.length; t++) {
            f[t] = (float) v[t];
            if (f[t] != v[t]) {
                throw new IllegalStateException(hint + "[" + t + "] = " + v[t] + " is not exact in float32");
            }
        }
        return constFloat(hint, f, dims);
    }

    /** A scalar constant of {@code type}. */
    String scalar(String hint, NumType type, double v) {
        return constReal(hint, type, new double[] {v});
    }

    String constLong(String hint, long[] v, long... dims) {
        ByteBuffer b = buffer(8 * v.length);
        for (long x : v) {
            b.putLong(x);
        }
        return init(hint, TensorProto.DataType.INT64, dims, b);
    }

    String constInt(String hint, int[] v, long... dims) {
        ByteBuffer b = buffer(4 * v.length);
        for (int x : v) {
            b.putInt(x);
        }
        return init(hint, TensorProto.DataType.INT32, dims, b);
    }

    String constByte(String hint, TensorProto.DataType type, byte[] v, long... dims) {
        ByteBuffer b = buffer(v.length);
        b.put(v);
        return init(hint, type, dims, b);
    }

    String constBool(String hint, boolean[] v, long... dims) {
        ByteBuffer b = buffer(v.length);
        for (boolean x : v) {
            b.put((byte) (x ? 1 : 0));
        }
        return init(hint, TensorProto.DataType.BOOL, dims, b);
    }

    /** Declares the graph input {@code name} of {@code type}, shape {@code [N, perSample...]}. */
    void input(String name, TensorProto.DataType type, int[] perSample) {
        names.add(name);
        graph.addInput(valueInfo(name, type, perSample));
    }

    /** Declares the graph output {@code name} of {@code type}, shape {@code [N, perSample...]}. */
    void output(String name, TensorProto.DataType type, int[] perSample) {
        graph.addOutput(valueInfo(name, type, perSample));
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, int[] perSample) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (int d : perSample) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto.Tensor tt = TypeProto.Tensor.newBuilder()
                .setElemType(type.getNumber())
                .setShape(shape)
                .build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tt))
                .build();
    }

    /** Adds a {@code metadata_props} entry. */
    void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** The finished model. */
    ModelProto build(String producerVersion, String docString) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("qat4j")
                .setProducerVersion(producerVersion)
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        metadata.forEach((k, v) ->
                m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }
}
