#!/usr/bin/python3
"""Writes a pix2pix U-Net generator (256x256, 8 down and 8 up levels, ngf 64, batch norm; about 54 M parameters)
with random weights, as ONNX, plus its manifest: the architecture of the cGANs that synthesize T2 maps, for
throughput benchmarks only (its output is noise). Usage: make_pix2pix_unet.py OUT.onnx [CHANNELS]
Needs Debian's python3-onnx. The file is about 220 MB, so it is generated, never committed.
"""
import json
import pathlib
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

rng = np.random.default_rng(0)
nodes, weights = [], []
count = [0]


def name(prefix):
    count[0] += 1
    return f"{prefix}{count[0]}"


def tensor(shape, std=0.02, mean=0.0):
    n = name("w")
    weights.append(numpy_helper.from_array((rng.standard_normal(shape) * std + mean).astype(np.float32), n))
    return n


def conv(x, cin, cout, transpose=False):
    out = name("conv")
    shape = (cin, cout, 4, 4) if transpose else (cout, cin, 4, 4)
    nodes.append(helper.make_node("ConvTranspose" if transpose else "Conv", [x, tensor(shape), tensor((cout,), std=0)], [out],
                                  kernel_shape=[4, 4], strides=[2, 2], pads=[1, 1, 1, 1]))
    return out


def batch_norm(x, c):
    out = name("bn")
    nodes.append(helper.make_node("BatchNormalization", [x, tensor((c,), 0.02, 1.0), tensor((c,), 0), tensor((c,), 0), tensor((c,), 0, 1.0)], [out]))
    return out


def act(x, op, **kw):
    out = name(op.lower())
    nodes.append(helper.make_node(op, [x], [out], **kw))
    return out


def main():
    path = pathlib.Path(sys.argv[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    channels = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    # Levels 64, 128, 256, 512, 512, 512, 512, 512: eight down, eight up.
    widths = [64, 128, 256, 512, 512, 512, 512, 512]

    def level(x, i, outer, input_nc=None):
        inner = widths[i]
        down = conv(x if i == 0 else act(x, "LeakyRelu", alpha=0.2), input_nc or outer, inner)
        if 0 < i < len(widths) - 1:
            down = batch_norm(down, inner)
        up_in, up_c = (down, inner) if i == len(widths) - 1 else (level(down, i + 1, inner), inner * 2)
        up = conv(act(up_in, "Relu"), up_c, 1 if i == 0 else outer, transpose=True)
        if i == 0:
            return act(up, "Tanh")
        up = batch_norm(up, outer)
        out = name("cat")
        nodes.append(helper.make_node("Concat", [x, up], [out], axis=1))
        return out

    out = level("anatomic", 0, 64, input_nc=channels)
    nodes.append(helper.make_node("Identity", [out], ["t2"]))
    graph = helper.make_graph(nodes, "pix2pix_unet256",
                              [helper.make_tensor_value_info("anatomic", TensorProto.FLOAT, ["batch", channels, 256, 256])],
                              [helper.make_tensor_value_info("t2", TensorProto.FLOAT, ["batch", 1, 256, 256])], weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="readerstudy-bench")
    model.ir_version = 8
    save(model, path)
    parameters = sum(int(np.prod(w.dims)) for w in weights)
    manifest = {"name": "pix2pix U-Net 256 (random weights)", "version": "bench-1", "inputName": "anatomic", "outputName": "t2",
                "channels": [{"series": s, "mean": 0, "scale": 1} for s in ["SAG DESS", "SAG IW TSE", "SAG T1"][:channels]],
                "height": 256, "width": 256, "outputScaleMs": 50, "outputOffsetMs": 50, "batchSize": 8}
    path.with_suffix(".manifest.json").write_text(json.dumps(manifest, indent=2))
    print(f"{path}: {parameters / 1e6:.1f} M parameters")


if __name__ == "__main__":
    main()
