// aten::gru and aten::lstm (unidirectional, any number of layers, batch_first or not, a sequence length fixed at
// convert time) -> unrolled cells of FULLY_CONNECTED, LOGISTIC, TANH, MUL, ADD and SUB, one cell per step.
//
// Per layer, the input projection of every step is one FULLY_CONNECTED per gate over the whole sequence
// ([T*N, H] rows in the input's memory order), and STRIDED_SLICE takes a step's N rows from it. The hidden
// projection is one FULLY_CONNECTED per gate per step; while the state is still the constant initial state (h0 and
// c0 zeros, or given as constants) it is computed at convert time instead. PyTorch's gate orders:
//   GRU  r, z, n:  r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(... z ...),
//                  n = tanh(W_in x + b_in + r·(W_hn h + b_hn)),
//                  h' = (1 - z)·n + z·h = n + z·(h - n). b_hn stays inside r·(...); b_hr and b_hz join the input
//                  projection's bias.
//   LSTM i, f, g, o: i, f, o = σ(...), g = tanh(...), c' = f·c + i·g, h' = o·tanh(c'). Both biases join the input
//                  projection's.
// An LSTM that NNAPI's UNIDIRECTIONAL_SEQUENCE_LSTM can compute (sequence_lstm.cpp says when) becomes one such
// operation per layer instead. NNAPI has no sequence GRU, so GRU is always unrolled, as is an LSTM the sequence
// operation does not fit (below feature level 3, c_n read below feature level 4, --format pytorch-nnapi): the
// unrolled form computes each gate as PyTorch does (one sum of products per projection, then the element-wise
// cell) and needs only operations every device has had since feature level 2.
#include <algorithm>
#include <optional>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/recurrent.h"
#include "ops/registry.h"

namespace nnc {
namespace {

int64_t gateCount(bool lstm) { return lstm ? 4 : 3; }

// Splits one layer's PyTorch parameters (w_ih [G*H, I], w_hh [G*H, H], b_ih, b_hh [G*H]) per gate.
LayerWeights splitLayer(const LoweringContext& ctx, const std::vector<ConstTensor>& params, size_t first,
                        bool has_biases, const Recurrent& r, int64_t input_size) {
  const int64_t gates = gateCount(r.lstm), h = r.hidden;
  const ConstTensor& w_ih = params[first];
  const ConstTensor& w_hh = params[first + 1];
  ctx.require(w_ih.shape == std::vector<int64_t>{gates * h, input_size} &&
                  w_hh.shape == std::vector<int64_t>{gates * h, h},
              "the weights' shapes do not match the input size and hidden size (projections, proj_size, are not "
              "supported)");
  for (const ConstTensor* t : {&w_ih, &w_hh}) ctx.require(t->dtype == DType::Float32, "the weights must be float32");
  std::vector<float> b_ih(gates * h, 0.0f), b_hh(gates * h, 0.0f);
  if (has_biases) {
    b_ih = params[first + 2].toFloats();
    b_hh = params[first + 3].toFloats();
    ctx.require(int64_t(b_ih.size()) == gates * h && int64_t(b_hh.size()) == gates * h,
                "the biases' sizes do not match the hidden size");
  }
  LayerWeights layer;
  layer.input_size = input_size;
  const std::vector<float> wi = w_ih.toFloats(), wh = w_hh.toFloats();
  for (int64_t g = 0; g < gates; ++g) {
    layer.w_ih.push_back(rowsOf(wi, g * h, h, input_size));
    layer.w_hh.push_back(rowsOf(wh, g * h, h, h));
    std::vector<float> in = rowsOf(b_ih, g * h, h, 1), hid = rowsOf(b_hh, g * h, h, 1);
    // GRU's n gate multiplies its hidden bias by r: that one stays with the hidden projection.
    const bool stays_hidden = !r.lstm && g == 2;
    if (!stays_hidden) {
      for (int64_t i = 0; i < h; ++i) in[i] += hid[i];
      hid.assign(h, 0.0f);
    }
    layer.b_in.push_back(in);
    layer.b_h.push_back(hid);
  }
  return layer;
}

// hx (GRU's input 1) or one element of LSTM's hx list: [L, N, H], constant or computed.
InitialState readInitialState(const LoweringContext& ctx, ValueId id, const Recurrent& r) {
  const std::vector<int64_t> shape = {int64_t(r.layers.size()), r.batch, r.hidden};
  const Value& value = ctx.valueOf(id);
  InitialState state;
  if (value.kind == Value::Kind::Tensor) {
    const ir::Operand& tensor = ctx.tensorOf(id);
    ctx.require(LoweringContext::logicalShape(tensor) == shape, "the initial state's shape is not [L, N, H]");
    requireFloat32(ctx, tensor);
    ctx.requireLayoutOf(id, ir::Layout::Contiguous);
    state.tensor = id;
    return state;
  }
  const auto* constant = value.kind == Value::Kind::Constant ? std::get_if<ConstTensor>(&value.constant) : nullptr;
  ctx.require(constant != nullptr, "the initial state must be a tensor");
  ctx.require(constant->shape == shape, "the initial state's shape is not [L, N, H]");
  ctx.require(constant->dtype == DType::Float32, "the initial state must be float32");
  state.values = constant->toFloats();
  return state;
}

}  // namespace

std::vector<float> rowsOf(const std::vector<float>& m, int64_t first, int64_t count, int64_t cols) {
  return std::vector<float>(m.begin() + first * cols, m.begin() + (first + count) * cols);
}

// aten::gru(input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
// aten::lstm(input, hx = [h0, c0], params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
Recurrent readRecurrent(const LoweringContext& ctx, bool lstm) {
  Recurrent r;
  r.lstm = lstm;
  ctx.require(ctx.inputCount() == 9 && ctx.input(2).kind == Value::Kind::Constant,
              ctx.node().kind + " of a packed sequence is not supported");
  const std::vector<ConstTensor>& params = ctx.constTensorListInput(2);
  const bool has_biases = ctx.boolInput(3);
  const int64_t layers = ctx.intInput(4);
  ctx.require(!ctx.boolInput(6), ctx.node().kind + " in training mode is not supported: convert after model.eval()");
  ctx.require(!ctx.boolInput(7), "a bidirectional " + ctx.node().kind + " is not supported");
  r.batch_first = ctx.boolInput(8);
  const ir::Operand& input = ctx.tensor(0);
  requireFloat32(ctx, input);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape.size() == 3, ctx.node().kind + " is supported on a batched 3-D input only, got rank " +
                                     std::to_string(shape.size()));
  ctx.require(runTimeExtentCount(shape) == 0, ctx.node().kind + " over an extent fixed only at run time (--input "
                                                                "-1): the cells are unrolled per step and batch");
  ctx.requireLayout(0, ir::Layout::Contiguous);
  r.steps = r.batch_first ? shape[1] : shape[0];
  r.batch = r.batch_first ? shape[0] : shape[1];
  const size_t per_layer = has_biases ? 4 : 2;
  ctx.require(layers >= 1 && params.size() == per_layer * size_t(layers),
              ctx.node().kind + " has " + std::to_string(params.size()) + " weight tensors for " +
                  std::to_string(layers) + " layer(s); projections (proj_size) are not supported");
  r.hidden = params[1].shape.size() == 2 ? params[1].shape[1] : 0;
  int64_t input_size = shape[2];
  for (int64_t l = 0; l < layers; ++l) {
    r.layers.push_back(splitLayer(ctx, params, size_t(l) * per_layer, has_biases, r, input_size));
    input_size = r.hidden;
  }
  if (lstm) {
    const Value& hx = ctx.input(1);
    ctx.require(hx.kind == Value::Kind::List && hx.elements.size() == 2, "lstm's hx must be the list [h0, c0]");
    r.h0 = readInitialState(ctx, hx.elements[0], r);
    r.c0 = readInitialState(ctx, hx.elements[1], r);
  } else {
    r.h0 = readInitialState(ctx, ctx.node().inputs[1], r);
  }
  for (int32_t op : {ANEURALNETWORKS_FULLY_CONNECTED, ANEURALNETWORKS_STRIDED_SLICE, ANEURALNETWORKS_LOGISTIC,
                     ANEURALNETWORKS_TANH, ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD, ANEURALNETWORKS_SUB,
                     ANEURALNETWORKS_CONCATENATION, ANEURALNETWORKS_RESHAPE}) {
    ctx.requireOperation(op, input.type, "an unrolled " + ctx.node().kind);
  }
  return r;
}

uint32_t stridedSlice(LoweringContext& ctx, uint32_t x, const std::vector<int32_t>& begin,
                      const std::vector<int32_t>& end, const std::vector<int32_t>& strides, int32_t shrink_mask) {
  return ctx.emit(ANEURALNETWORKS_STRIDED_SLICE, {x, ctx.i32Tensor(begin), ctx.i32Tensor(end), ctx.i32Tensor(strides),
                                                  ctx.i32(0), ctx.i32(0), ctx.i32(shrink_mask)});
}

uint32_t reshapeTo(LoweringContext& ctx, uint32_t x, const std::vector<int64_t>& shape) {
  return ctx.emit(ANEURALNETWORKS_RESHAPE, {x, ctx.i32Tensor(reshapeTarget(shape))});
}

uint32_t layerOfState(LoweringContext& ctx, const InitialState& state, size_t l, const Recurrent& r) {
  const uint32_t all = ctx.operandOf(*state.tensor, ir::Layout::Contiguous);
  return stridedSlice(ctx, all, {int32_t(l), 0, 0}, {int32_t(l) + 1, int32_t(r.batch), int32_t(r.hidden)},
                      {1, 1, 1}, 1);
}

uint32_t stackLayers(LoweringContext& ctx, std::vector<uint32_t> states, const Recurrent& r) {
  uint32_t joined = states[0];
  if (states.size() > 1) {
    states.push_back(ctx.i32(0));
    joined = ctx.emit(ANEURALNETWORKS_CONCATENATION, states);
  }
  return reshapeTo(ctx, joined, {int64_t(r.layers.size()), r.batch, r.hidden});
}

namespace {

// A [N, H] value of one step: an operand, or values known at convert time (the constant initial state and what
// depends only on it).
struct Term {
  std::optional<uint32_t> operand;
  std::vector<float> values;
  bool isZero() const {
    return !operand && std::all_of(values.begin(), values.end(), [](float v) { return v == 0.0f; });
  }
};

// Emits the unrolled layers of one gru/lstm node.
class Unroller {
 public:
  Unroller(LoweringContext& ctx, const Recurrent& r) : ctx_(ctx), r_(r), none_(ctx.i32(ANEURALNETWORKS_FUSED_NONE)) {}

  void emit() {
    uint32_t sequence = ctx_.operandInput(0, ir::Layout::Contiguous);
    std::vector<uint32_t> last_h, last_c;
    for (size_t l = 0; l < r_.layers.size(); ++l) {
      Term h = initial(r_.h0, l), c = r_.lstm ? initial(r_.c0, l) : Term{};
      sequence = emitLayer(r_.layers[l], sequence, h, c);
      last_h.push_back(*h.operand);
      if (r_.lstm) last_c.push_back(*c.operand);
    }
    const int64_t t = r_.steps, n = r_.batch, hid = r_.hidden;
    ctx_.setOutput(0, reshapeTo(ctx_, sequence, r_.batch_first ? std::vector<int64_t>{n, t, hid}
                                                              : std::vector<int64_t>{t, n, hid}));
    ctx_.setOutput(1, stackLayers(ctx_, last_h, r_));
    if (r_.lstm) ctx_.setOutput(2, stackLayers(ctx_, last_c, r_));
  }

 private:
  // One layer over the whole sequence; h and c become its last state. Returns the layer's outputs: the steps'
  // h joined into [T*N, H] rows (or [N, T*H] batch first), which is the next layer's input as it is.
  uint32_t emitLayer(const LayerWeights& w, uint32_t sequence, Term& h, Term& c) {
    const int64_t gates = gateCount(r_.lstm);
    std::vector<uint32_t> projected, hidden_weights, hidden_biases;
    for (int64_t g = 0; g < gates; ++g) {
      projected.push_back(ctx_.emit(ANEURALNETWORKS_FULLY_CONNECTED,
                                    {sequence, matrix(w.w_ih[g], w.input_size), vector(w.b_in[g]), none_}));
      hidden_weights.push_back(matrix(w.w_hh[g], r_.hidden));
      hidden_biases.push_back(vector(w.b_h[g]));
    }
    std::vector<uint32_t> outputs;
    for (int64_t t = 0; t < r_.steps; ++t) {
      std::vector<uint32_t> x;
      std::vector<Term> gh;
      for (int64_t g = 0; g < gates; ++g) {
        x.push_back(stepRows(projected[g], t));
        gh.push_back(hiddenProjection(h, w, g, hidden_weights[g], hidden_biases[g]));
      }
      if (r_.lstm) {
        lstmCell(x, gh, h, c);
      } else {
        gruCell(x, gh, h);
      }
      outputs.push_back(*h.operand);
    }
    if (outputs.size() == 1) return outputs[0];
    outputs.push_back(ctx_.i32(r_.batch_first ? 1 : 0));
    return ctx_.emit(ANEURALNETWORKS_CONCATENATION, outputs);
  }

  void gruCell(const std::vector<uint32_t>& x, const std::vector<Term>& gh, Term& h) {
    const uint32_t r = ctx_.emit(ANEURALNETWORKS_LOGISTIC, {plus(x[0], gh[0])});
    const uint32_t z = ctx_.emit(ANEURALNETWORKS_LOGISTIC, {plus(x[1], gh[1])});
    const uint32_t n = ctx_.emit(ANEURALNETWORKS_TANH,
                                 {gh[2].isZero() ? x[2] : binary(ANEURALNETWORKS_ADD, x[2], binary(ANEURALNETWORKS_MUL,
                                                                                                   r, gh[2]))});
    // h' = n + z·(h - n); from a zero h, n - z·n.
    const uint32_t next = h.isZero() ? binary(ANEURALNETWORKS_SUB, n, binary(ANEURALNETWORKS_MUL, z, n))
                                     : binary(ANEURALNETWORKS_ADD, n,
                                              binary(ANEURALNETWORKS_MUL, z, binary(ANEURALNETWORKS_SUB, h, n)));
    h = Term{next, {}};
  }

  void lstmCell(const std::vector<uint32_t>& x, const std::vector<Term>& gh, Term& h, Term& c) {
    const uint32_t i = ctx_.emit(ANEURALNETWORKS_LOGISTIC, {plus(x[0], gh[0])});
    const uint32_t f = ctx_.emit(ANEURALNETWORKS_LOGISTIC, {plus(x[1], gh[1])});
    const uint32_t g = ctx_.emit(ANEURALNETWORKS_TANH, {plus(x[2], gh[2])});
    const uint32_t o = ctx_.emit(ANEURALNETWORKS_LOGISTIC, {plus(x[3], gh[3])});
    const uint32_t ig = binary(ANEURALNETWORKS_MUL, i, g);
    const uint32_t next_c = c.isZero() ? ig : binary(ANEURALNETWORKS_ADD, binary(ANEURALNETWORKS_MUL, f, c), ig);
    c = Term{next_c, {}};
    h = Term{binary(ANEURALNETWORKS_MUL, o, ctx_.emit(ANEURALNETWORKS_TANH, {next_c})), {}};
  }

  // W_h h + b_h: FULLY_CONNECTED, or computed now while h is a constant.
  Term hiddenProjection(const Term& h, const LayerWeights& w, int64_t g, uint32_t weights, uint32_t bias) {
    if (h.operand) return Term{ctx_.emit(ANEURALNETWORKS_FULLY_CONNECTED, {*h.operand, weights, bias, none_}), {}};
    const int64_t n = r_.batch, hid = r_.hidden;
    std::vector<float> values(n * hid);
    for (int64_t b = 0; b < n; ++b) {
      for (int64_t j = 0; j < hid; ++j) {
        double sum = w.b_h[g][j];
        for (int64_t k = 0; k < hid; ++k) sum += double(w.w_hh[g][j * hid + k]) * h.values[b * hid + k];
        values[b * hid + j] = float(sum);
      }
    }
    return Term{std::nullopt, values};
  }

  // Layer l's slice of an initial state.
  Term initial(const InitialState& state, size_t l) {
    const int64_t n = r_.batch, hid = r_.hidden;
    if (!state.tensor) return Term{std::nullopt, rowsOf(state.values, int64_t(l) * n, n, hid)};
    return Term{layerOfState(ctx_, state, l, r_), {}};
  }

  // Step t's N rows of a whole-sequence projection ([T*N, H], or [N*T, H] batch first).
  uint32_t stepRows(uint32_t projected, int64_t t) {
    if (r_.steps == 1) return projected;
    const int32_t n = int32_t(r_.batch), steps = int32_t(r_.steps), hid = int32_t(r_.hidden);
    if (r_.batch_first) return stridedSlice(ctx_, projected, {int32_t(t), 0}, {n * steps, hid}, {steps, 1}, 0);
    return stridedSlice(ctx_, projected, {int32_t(t) * n, 0}, {int32_t(t + 1) * n, hid}, {1, 1}, 0);
  }

  // x + gh, leaving out an all-zero constant.
  uint32_t plus(uint32_t x, const Term& gh) { return gh.isZero() ? x : binary(ANEURALNETWORKS_ADD, x, gh); }

  uint32_t binary(int32_t op, const Term& a, const Term& b) {
    return ctx_.emit(op, {operandOf(a), operandOf(b), none_});
  }
  uint32_t binary(int32_t op, uint32_t a, uint32_t b) { return binary(op, Term{a, {}}, Term{b, {}}); }
  uint32_t binary(int32_t op, uint32_t a, const Term& b) { return binary(op, Term{a, {}}, b); }
  uint32_t binary(int32_t op, const Term& a, uint32_t b) { return binary(op, a, Term{b, {}}); }

  uint32_t operandOf(const Term& t) {
    if (t.operand) return *t.operand;
    return ctx_.f32Tensor({uint32_t(r_.batch), uint32_t(r_.hidden)}, t.values);
  }
  uint32_t matrix(const std::vector<float>& values, int64_t cols) {
    return ctx_.f32Tensor({uint32_t(r_.hidden), uint32_t(cols)}, values);
  }
  uint32_t vector(const std::vector<float>& values) { return ctx_.f32Tensor({uint32_t(values.size())}, values); }

  LoweringContext& ctx_;
  const Recurrent& r_;
  uint32_t none_;
};

Emitter lowerGru(const LoweringContext& ctx) {
  const Recurrent r = readRecurrent(ctx, false);
  return [r](LoweringContext& ctx) { Unroller(ctx, r).emit(); };
}

Emitter lowerLstm(const LoweringContext& ctx) {
  const Recurrent r = readRecurrent(ctx, true);
  if (sequenceLstmFits(ctx, r)) return [r](LoweringContext& ctx) { emitSequenceLstm(ctx, r); };
  return [r](LoweringContext& ctx) { Unroller(ctx, r).emit(); };
}

}  // namespace

void registerRecurrent(Registry& registry) {
  registry.add({"aten::gru"}, lowerGru);
  registry.add({"aten::lstm"}, lowerLstm);
}

}  // namespace nnc
