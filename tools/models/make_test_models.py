#!/usr/bin/python3
"""Writes the small ONNX generators the tests use, into the folder given (default: tests/ReaderStudy.Testing/Models).

affine.onnx: t2 = 0.5 * channel0 + 0.25 * channel1 + 10, a 1x1 convolution over a [batch, 2, H, W] float input,
so a test can assert the synthetic map in closed form. The others are deliberately wrong, for the upload checks:
wrong_rank.onnx (rank-3 input), three_channels.onnx (3 input channels), integer_input.onnx (int64 input).
Needs Debian's python3-onnx; run it again only when a model must change, and commit the output.
"""
import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 13)]


def affine(channels=2, input_type=TensorProto.FLOAT):
    weights = numpy_helper.from_array(np.array([0.5, 0.25, 0.125][:channels], dtype=np.float32).reshape(1, channels, 1, 1), "weights")
    bias = numpy_helper.from_array(np.array([10.0], dtype=np.float32), "bias")
    nodes = []
    source = "anatomic"
    if input_type != TensorProto.FLOAT:
        nodes.append(helper.make_node("Cast", ["anatomic"], ["anatomic_float"], to=TensorProto.FLOAT))
        source = "anatomic_float"
    nodes.append(helper.make_node("Conv", [source, "weights", "bias"], ["t2"], kernel_shape=[1, 1]))
    graph = helper.make_graph(
        nodes, "affine_t2",
        [helper.make_tensor_value_info("anatomic", input_type, ["batch", channels, "height", "width"])],
        [helper.make_tensor_value_info("t2", TensorProto.FLOAT, ["batch", 1, "height", "width"])],
        [weights, bias])
    return helper.make_model(graph, opset_imports=OPSET, producer_name="readerstudy-test-models")


def wrong_rank():
    graph = helper.make_graph(
        [helper.make_node("Identity", ["anatomic"], ["t2"])], "wrong_rank",
        [helper.make_tensor_value_info("anatomic", TensorProto.FLOAT, ["batch", "height", "width"])],
        [helper.make_tensor_value_info("t2", TensorProto.FLOAT, ["batch", "height", "width"])])
    return helper.make_model(graph, opset_imports=OPSET, producer_name="readerstudy-test-models")


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2] / "tests/ReaderStudy.Testing/Models")
    folder.mkdir(parents=True, exist_ok=True)
    for name, model in [("affine", affine()), ("wrong_rank", wrong_rank()), ("three_channels", affine(3)),
                        ("integer_input", affine(2, TensorProto.INT64))]:
        model.ir_version = 8  # readable by every ONNX Runtime since 1.10
        onnx.checker.check_model(model)
        onnx.save(model, folder / f"{name}.onnx")
        print(folder / f"{name}.onnx")


if __name__ == "__main__":
    main()
