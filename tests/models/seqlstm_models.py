"""LSTMs as NNAPI's UNIDIRECTIONAL_SEQUENCE_LSTM (one operation per layer, feature level 3): time major and batch
first, stacked layers with given initial states, h_n (the last step's row below feature level 4) and c_n (the
operation's cell_state_out, feature level 4: --min-api 30; below it such an LSTM stays unrolled, seq_models.py).

"inspect" bounds the operation count, so an LSTM that fell back to the unrolled cells (tens of operations per
step) fails it.
"""
import torch

from model_spec import ModelSpec, traced
from op_models import Fn

I, H = 6, 8
CHECKS = ("verify", "python", "partitions", "inspect", "verify_api29", "verify_layers")


def lstm_returning(outputs, *args, **kwargs):
    """An LSTM over x (from the zero state, or from given h0, c0) returning the named ones of out, h_n, c_n."""
    def forward(self, x, *state):
        out, (h, c) = self.lstm(x, tuple(state)) if state else self.lstm(x)
        chosen = tuple({"out": out, "h": h, "c": c}[name] for name in outputs)
        return chosen if len(chosen) > 1 else chosen[0]
    return Fn(forward, lstm=torch.nn.LSTM(*args, **kwargs))


def spec(name, build, inputs, max_operations, checks=CHECKS):
    return ModelSpec(name=name, kind="op", inputs=list(inputs), write=traced(build), checks=checks,
                     expect_partitions=1, inspect_limits={"max_operations": max_operations, "max_partitions": 1})


def specs():
    return [
        # One operation: the sequence only.
        # --format pytorch-nnapi cannot omit operands: there the LSTM is unrolled ("python_stock").
        spec("seqlstm_time_major", lambda: lstm_returning(("out",), I, H), [(5, 2, I)], 1,
             checks=CHECKS + ("python_stock",)),
        spec("seqlstm_batch_first", lambda: lstm_returning(("out",), I, H, batch_first=True), [(2, 5, I)], 1),
        # h_n below feature level 4: each layer's last row (STRIDED_SLICE), joined (CONCATENATION, RESHAPE); the
        # given states are sliced per layer (4 STRIDED_SLICEs): 2 + 2 + 2 + 4.
        spec("seqlstm_2_layers_h0_c0_h_n",
             lambda: lstm_returning(("out", "h"), I, H, num_layers=2, batch_first=True),
             [(2, 5, I), (2, 2, H), (2, 2, H)], 10),
        spec("seqlstm_bias_free_h_n_only", lambda: lstm_returning(("h",), I, H, bias=False), [(4, 1, I)], 3),
        # c_n at --min-api 30: the state outputs give h_n and c_n (CONCATENATION and RESHAPE each for 2 layers).
        ModelSpec(name="seqlstm_2_layers_c_n_api30", kind="op", inputs=[(5, 2, I)],
                  write=traced(lambda: lstm_returning(("out", "h", "c"), I, H, num_layers=2)),
                  checks=("verify", "verify_api30", "python_api30_strict", "partitions_api30"),
                  expect_partitions=1),
    ]
