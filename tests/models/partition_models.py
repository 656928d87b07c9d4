"""Models that convert only in parts: ops NNAPI cannot run stay in TorchScript on the CPU, and every maximal run of
lowerable ops around them becomes an NNAPI partition.

The CPU ops are ones with no NNAPI lowering at all (see README, "Supported ops"): aten::erf and aten::cumsum.
They sit at the start, in the middle and at the end of a model; a CPU result
feeds two partitions; an NNAPI result feeds a CPU op and a later partition; a tuple mixes results of both; and
4-D NCHW feature maps cross every boundary (the converter holds them NHWC inside NNAPI, so every crossing
needs the layout converted), also right before and right after a flatten -> linear. Each CPU op is called on its
own line of this file, so the `convert --json` report is checked for its file:line.

The scripted models keep `if` and `for` in TorchScript: the code around and inside them is partitioned. One
branches on a value computed from the input (checked on inputs that take each branch), one loops as many times
as the input says (checked on inputs giving each count), and one branches on a shape, which is known at convert
time (the branch taken replaces the `if`). Loops with a constant count may be unrolled at convert time.
"""
import torch
import torch.nn.functional as F

from model_spec import ModelSpec, cpu_op, scripted, traced

C, H, W = 8, 16, 16
IMAGE = (1, C, H, W)


def conv3x3(in_channels=C, out_channels=C):
    return torch.nn.Conv2d(in_channels, out_channels, 3, padding=1)


class CpuBetweenConvs(torch.nn.Module):
    """conv -> erf (CPU) -> conv -> relu: two partitions around one CPU op."""

    def __init__(self):
        super().__init__()
        self.conv1 = conv3x3()
        self.conv2 = conv3x3()

    def forward(self, x):
        y = torch.erf(self.conv1(x))  # CPU
        return torch.relu(self.conv2(y))


class CpuAtStart(torch.nn.Module):
    """The model input goes straight into a CPU op (cumsum over channels), then one partition."""

    def __init__(self):
        super().__init__()
        self.conv = conv3x3()

    def forward(self, x):
        y = torch.cumsum(x, 1)  # CPU
        return torch.relu(self.conv(y) + 0.5)


class CpuAtEnd(torch.nn.Module):
    """One partition, then a CPU op whose result is the model output."""

    def __init__(self):
        super().__init__()
        self.conv = conv3x3(C, 4 * C)

    def forward(self, x):
        y = torch.sigmoid(self.conv(x)) - 0.5
        return torch.cumsum(y, 1)  # CPU


class CpuFeedsTwoPartitions(torch.nn.Module):
    """erf's result g is read by partition 1 (conv1) and by partition 2 (the final add), which only starts after
    the second CPU op: three partitions however the converter groups them."""

    def __init__(self):
        super().__init__()
        self.conv0 = conv3x3()
        self.conv1 = conv3x3()
        self.conv2 = conv3x3()

    def forward(self, x):
        a = self.conv0(x) * 2.0
        g = torch.erf(a)  # CPU, read by two partitions
        b = self.conv1(g)
        c = torch.cumsum(b, 2)  # CPU
        return self.conv2(c) + g


class NnapiOutputToCpuAndPartition(torch.nn.Module):
    """Partition 0's result a is read by a CPU op and by partition 1."""

    def __init__(self):
        super().__init__()
        self.conv0 = conv3x3()
        self.conv1 = conv3x3()

    def forward(self, x):
        a = torch.sigmoid(self.conv0(x))
        c = torch.cumsum(a, 3)  # CPU
        return self.conv1(c) * a


class TupleMixedOutputs(torch.nn.Module):
    """Returns (partition 1's map, the CPU op's map, partition 1's logits, partition 0's map); partition 0's map
    is also read by the CPU op."""

    def __init__(self):
        super().__init__()
        self.conv0 = conv3x3()
        self.conv1 = conv3x3()
        self.fc = torch.nn.Linear(C, 10)

    def forward(self, x):
        a = self.conv0(x)
        g = torch.erf(a)  # CPU
        b = torch.relu(self.conv1(g))
        logits = self.fc(torch.flatten(F.adaptive_avg_pool2d(b, 1), 1))
        return b, g, logits, a


class FlattenBeforeBoundary(torch.nn.Module):
    """flatten inside partition 0 (from an NHWC map, but the CPU op must get PyTorch's channel-major order), then a
    CPU op, then linear in partition 1."""

    def __init__(self):
        super().__init__()
        self.conv = conv3x3(C, 4)
        self.fc = torch.nn.Linear(4 * H * W, 10)

    def forward(self, x):
        y = torch.flatten(torch.relu(self.conv(x)), 1)
        y = torch.erf(y - 0.25)  # CPU
        return self.fc(y)


class FlattenAfterBoundary(torch.nn.Module):
    """A CPU op on a 4-D map, then flatten -> linear in partition 1 on the NCHW tensor the CPU hands over."""

    def __init__(self):
        super().__init__()
        self.conv = conv3x3(C, 4)
        self.fc = torch.nn.Linear(4 * H * W, 10)

    def forward(self, x):
        y = torch.erf(self.conv(x))  # CPU
        return self.fc(torch.flatten(y, 1))


class CpuBetweenLinears(torch.nn.Module):
    """2-D data across the boundary: linear -> erf (CPU) -> linear."""

    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(32, 24)
        self.fc2 = torch.nn.Linear(24, 10)

    def forward(self, x):
        return self.fc2(torch.erf(self.fc1(x)))  # CPU: erf


class CpuOnSecondInput(torch.nn.Module):
    """Two inputs: one goes to partition 0, the other through a CPU op into partition 1 with partition 0's result."""

    def __init__(self):
        super().__init__()
        self.conv_x = conv3x3()
        self.conv_y = conv3x3()

    def forward(self, x, y):
        a = self.conv_x(x)
        b = torch.cumsum(y, 1)  # CPU
        return torch.relu(self.conv_y(b) + a)


class IfOnValueAndLoop(torch.nn.Module):
    """Scripted: an `if` on the input's mean (decided at run time) between two different paths, then a `for`
    loop of residual convolutions."""

    def __init__(self):
        super().__init__()
        self.conv_in = conv3x3()
        self.conv_pos = conv3x3()
        self.conv_neg = conv3x3()
        self.conv_loop = conv3x3()

    def forward(self, x):
        y = self.conv_in(x)
        if x.mean() > 0:  # CPU: control flow
            y = torch.relu(self.conv_pos(y))
        else:
            y = torch.sigmoid(self.conv_neg(y)) * 3.0
        for _ in range(3):
            y = y + torch.relu(self.conv_loop(y)) * 0.5
        return y


class IfOnShape(torch.nn.Module):
    """Scripted: an `if` on the channel count, known at convert time: the whole model is one partition."""

    def __init__(self):
        super().__init__()
        self.conv8 = conv3x3(8, C)
        self.conv4 = conv3x3(4, C)

    def forward(self, x):
        if x.shape[1] == 8:
            y = self.conv8(x)
        else:
            y = torch.tanh(self.conv4(x))
        return torch.relu(y) - 0.25


class LoopWithCpuBody(torch.nn.Module):
    """Scripted: a `for` loop whose body has a CPU op between two partitions."""

    def __init__(self):
        super().__init__()
        self.conv_a = conv3x3()
        self.conv_b = conv3x3()

    def forward(self, x):
        y = x
        for _ in range(2):
            y = torch.erf(self.conv_a(y))  # CPU
            y = torch.tanh(self.conv_b(y) * 8.0) * 2.0
        return y


class LoopRuntimeCount(torch.nn.Module):
    """Scripted: a `for` loop whose trip count comes from the input (1 or 3), so it cannot be unrolled at convert
    time and stays a TorchScript loop around its partitioned body."""

    def __init__(self):
        super().__init__()
        self.conv_in = conv3x3()
        self.conv_loop = conv3x3()

    def forward(self, x):
        y = self.conv_in(x)
        steps = 1 + 2 * int(x.mean() > 0)
        for _ in range(steps):  # CPU: control flow
            y = torch.relu(self.conv_loop(y)) + y * 0.5
        return y


class ChunkOnCpu(torch.nn.Module):
    """Scripted: a list made on the CPU (chunk of an erf) is indexed and concatenated. Only erf and chunk are ops
    NNAPI could have run; the list's construction and indexing follow from them and are not reported."""

    def __init__(self):
        super().__init__()
        self.conv = conv3x3()

    def forward(self, x):
        parts = torch.chunk(torch.erf(self.conv(x)), 2, dim=1)
        return torch.cat([parts[0], torch.relu(parts[1])], 1)


def partition(name, build, expect_partitions, expect_cpu_ops, checks=("verify", "python", "partitions"),
              inputs=(IMAGE,), write=traced, **spec_args):
    return ModelSpec(name=name, kind="partition", inputs=list(inputs), write=write(build), checks=tuple(checks),
                     expect_partitions=expect_partitions, expect_cpu_ops=expect_cpu_ops, **spec_args)


def specs():
    erf, cumsum = "aten::erf", "aten::cumsum"
    checks = ("verify", "python", "partitions", "verify_api27")
    two_partitions_cpu_ops = [cpu_op(erf, CpuFeedsTwoPartitions.forward, "torch.erf"),
                              cpu_op(cumsum, CpuFeedsTwoPartitions.forward, "torch.cumsum")]
    return [
        partition("cpu_between_convs", CpuBetweenConvs, 2, [cpu_op(erf, CpuBetweenConvs.forward, "torch.erf")],
                  checks=checks + ("inspect", "verify_layers", "python_stock", "python_stock_fl1")),
        partition("cpu_at_start", CpuAtStart, 1, [cpu_op(cumsum, CpuAtStart.forward, "torch.cumsum")],
                  checks=checks + ("python_nhwc",)),
        partition("cpu_at_end", CpuAtEnd, 1,
                  [cpu_op(cumsum, CpuAtEnd.forward, "torch.cumsum")], checks=checks),
        # The one refused with --strict: every CPU op kind with its file:line.
        partition("cpu_feeds_two_partitions", CpuFeedsTwoPartitions, 3, two_partitions_cpu_ops,
                  checks=checks + ("inspect", "convert_strict_fails"), expect_exit=3,
                  expect_stderr=[text for op in two_partitions_cpu_ops for text in (op["kind"], op["source"])]),
        partition("nnapi_output_to_cpu_and_partition", NnapiOutputToCpuAndPartition, 2,
                  [cpu_op(cumsum, NnapiOutputToCpuAndPartition.forward, "torch.cumsum")], checks=checks + ("inspect",)),
        partition("tuple_mixed_outputs", TupleMixedOutputs, 2, [cpu_op(erf, TupleMixedOutputs.forward, "torch.erf")],
                  checks=checks + ("inspect", "verify_json", "python_stock")),
        partition("flatten_before_boundary", FlattenBeforeBoundary, 2,
                  [cpu_op(erf, FlattenBeforeBoundary.forward, "torch.erf")], checks=checks),
        partition("flatten_after_boundary", FlattenAfterBoundary, 2,
                  [cpu_op(erf, FlattenAfterBoundary.forward, "torch.erf")], checks=checks),
        partition("cpu_between_linears", CpuBetweenLinears, 2,
                  [cpu_op(erf, CpuBetweenLinears.forward, "torch.erf")], inputs=[(4, 32)], checks=checks),
        partition("cpu_on_second_input", CpuOnSecondInput, 2,
                  [cpu_op(cumsum, CpuOnSecondInput.forward, "torch.cumsum")], inputs=[IMAGE, IMAGE], checks=checks),
        # Scripted. The `if` on a run-time value is reported as a CPU op (control flow); the conditions's own
        # arithmetic (aten::gt, ...) and the `for` loop may be reported too, so other CPU ops are allowed here.
        partition("script_if_value_loop", IfOnValueAndLoop, 2,
                  [cpu_op("prim::If", IfOnValueAndLoop.forward, "if x.mean()")], write=scripted,
                  checks=("verify", "python", "branches", "partitions", "inspect"), branch_offsets=[5.0, -5.0],
                  only_expected_cpu_ops=False),
        partition("script_loop_runtime_count", LoopRuntimeCount, 2,
                  [cpu_op("prim::Loop", LoopRuntimeCount.forward, "for _ in range(steps)")], write=scripted,
                  checks=("verify", "python", "branches", "partitions", "inspect"), branch_offsets=[5.0, -5.0],
                  only_expected_cpu_ops=False),
        partition("script_if_shape", IfOnShape, 1, [], write=scripted, checks=("verify", "python", "partitions")),
        partition("script_list_on_cpu", ChunkOnCpu, 1,
                  [cpu_op(erf, ChunkOnCpu.forward, "torch.erf"),
                   cpu_op("aten::chunk", ChunkOnCpu.forward, "torch.chunk")],
                  write=scripted, checks=("verify", "python", "partitions")),
        partition("script_loop_cpu_body", LoopWithCpuBody, 2,
                  [cpu_op(erf, LoopWithCpuBody.forward, "torch.erf")], write=scripted,
                  checks=("verify", "python", "partitions"), only_expected_cpu_ops=False),
    ]
