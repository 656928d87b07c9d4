#include "executor/plan_codec.h"

#include "nnapi/NeuralNetworks.h"

#include <cstring>
#include <type_traits>
#include <utility>

namespace nnapi_host {
namespace {

using nnapi_rules::OperandDesc;

// Archives: `a(field)` writes (Writer) or reads (Reader) one field; `fields(a, object)` below lists an object's
// fields once for both directions. Values are stored in host byte order: a cache file is only read by the
// library build that wrote it (the file header's format version and the model digest see to that).
class Writer {
 public:
  template <typename T>
  void operator()(const T& value) {
    if constexpr (std::is_enum_v<T>) {
      (*this)(static_cast<int32_t>(value));
    } else {
      static_assert(std::is_arithmetic_v<T>);
      out_.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
  }
  template <typename T>
  void operator()(const std::vector<T>& values) {
    (*this)(uint64_t(values.size()));
    for (const T& value : values) (*this)(value);
  }
  template <typename T, typename U>
  void operator()(const std::pair<T, U>& pair) {
    (*this)(pair.first);
    (*this)(pair.second);
  }
  void bytes(const void* data, size_t size) { out_.append(static_cast<const char*>(data), size); }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : p_(in.data()), end_(in.data() + in.size()) {}
  template <typename T>
  void operator()(T& value) {
    if constexpr (std::is_enum_v<T>) {
      int32_t raw = 0;
      (*this)(raw);
      value = static_cast<T>(raw);
    } else {
      static_assert(std::is_arithmetic_v<T>);
      if (!take(sizeof value)) return;
      std::memcpy(&value, p_ - sizeof value, sizeof value);
    }
  }
  template <typename T>
  void operator()(std::vector<T>& values) {
    uint64_t count = 0;
    (*this)(count);
    // Every element takes at least one byte: a count beyond what is left is corrupt, never allocated.
    if (!ok_ || count > uint64_t(end_ - p_)) return fail();
    values.resize(size_t(count));
    for (T& value : values) (*this)(value);
  }
  template <typename T, typename U>
  void operator()(std::pair<T, U>& pair) {
    (*this)(pair.first);
    (*this)(pair.second);
  }
  bool ok() const { return ok_; }
  bool atEnd() const { return p_ == end_; }
  void fail() { ok_ = false; }

 private:
  bool take(size_t size) {
    if (!ok_ || size_t(end_ - p_) < size) {
      ok_ = false;
      return false;
    }
    p_ += size;
    return true;
  }
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

// One field list per parameter struct; `P` is const when writing.
template <typename A> void fields(A&, const std::monostate&) {}
template <typename A> void fields(A&, std::monostate&) {}
template <typename A, typename P> void padding(A& a, P& p) { a(p.left); a(p.right); a(p.top); a(p.bottom); }
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::ConvParams>> fields(A& a, P& p) {
  padding(a, p.pad);
  a(p.strideW); a(p.strideH); a(p.dilationW); a(p.dilationH); a(p.filterW); a(p.filterH);
  a(p.groups); a(p.multiplier); a(p.fuse); a(p.nchw);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::PoolParams>> fields(A& a, P& p) {
  padding(a, p.pad);
  a(p.strideW); a(p.strideH); a(p.filterW); a(p.filterH); a(p.fuse); a(p.nchw);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::FuseParams>> fields(A& a, P& p) { a(p.fuse); }
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::SoftmaxParams>> fields(A& a, P& p) {
  a(p.beta); a(p.axis);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::ReduceParams>> fields(A& a, P& p) {
  a(p.axes); a(p.keepDims);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::ConcatParams>> fields(A& a, P& p) { a(p.axis); }
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::TransposeParams>> fields(A& a, P& p) { a(p.perm); }
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::SliceParams>> fields(A& a, P& p) {
  a(p.begin); a(p.strides); a(p.counts);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::PadParams>> fields(A& a, P& p) {
  a(p.pads); a(p.floatValue); a(p.intValue);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::ResizeParams>> fields(A& a, P& p) {
  a(p.outH); a(p.outW); a(p.nchw); a(p.alignCorners); a(p.halfPixelCenters);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::SplitParams>> fields(A& a, P& p) { a(p.axis); }
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::ChannelShuffleParams>> fields(A& a, P& p) {
  a(p.groups); a(p.axis);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::GatherParams>> fields(A& a, P& p) { a(p.axis); }
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::TileParams>> fields(A& a, P& p) { a(p.multiples); }
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::BlockParams>> fields(A& a, P& p) {
  a(p.block); a(p.nchw);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::InstanceNormParams>> fields(A& a, P& p) {
  a(p.gamma); a(p.beta); a(p.epsilon); a(p.nchw);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::BatchMatmulParams>> fields(A& a, P& p) {
  a(p.adjX); a(p.adjY);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::MirrorPadParams>> fields(A& a, P& p) {
  a(p.pads); a(p.reflect);
}
template <typename A, typename P>
std::enable_if_t<std::is_same_v<std::decay_t<P>, nnapi_rules::SequenceLstmParams>> fields(A& a, P& p) {
  a(p.activation); a(p.cellClip); a(p.timeMajor);
}
// The operand fields a plan resolves; the constant's bytes are not part of it.
template <typename A, typename D>
void operandFields(A& a, D& d) {
  a(d.type); a(d.dims); a(d.scale); a(d.zeroPoint); a(d.channelDim); a(d.channelScales); a(d.lifetime); a(d.length);
}

template <size_t... I>
void readParams(Reader& r, uint32_t index, nnapi_rules::OpParams& params, std::index_sequence<I...>) {
  const bool known = ((index == I ? (fields(r, params.emplace<I>()), true) : false) || ...);
  if (!known) r.fail();
}

// "" when `plan`, as decoded, can run `graph`: indices in range, the graph's operands and execution order.
std::string mismatch(const Plan& plan, const Graph& graph) {
  if (plan.operands.size() != graph.operands.size()) return "operand count differs from the model's";
  for (size_t i = 0; i < plan.operands.size(); ++i) {
    const OperandDesc& cached = plan.operands[i];
    const OperandDesc& model = graph.operands[i];
    if (cached.type != model.type || cached.lifetime != model.lifetime || cached.length != model.length)
      return "operand " + std::to_string(i) + " differs from the model's";
  }
  if (plan.steps.size() != graph.order.size()) return "step count differs from the model's operation count";
  for (size_t s = 0; s < plan.steps.size(); ++s) {
    if (plan.steps[s].operation != graph.order[s]) return "step " + std::to_string(s) + " runs another operation";
    for (uint32_t r : plan.steps[s].release)
      if (r >= plan.operands.size()) return "step " + std::to_string(s) + " releases an operand out of range";
  }
  return {};
}

// Whether a constant's value can change the plan: the rules decode scalars and integer tensors (shapes, axes,
// paddings, strides) into parameters and shapes. Float and quantized tensors are weights: the plan reads them from
// the model when it runs, so their values are not part of it and need not be hashed (a model's megabytes of
// weights would cost more to hash than the plan saves).
bool decidesPlan(const OperandDesc& d) {
  switch (d.type) {
    case ANEURALNETWORKS_TENSOR_FLOAT32:
    case ANEURALNETWORKS_TENSOR_FLOAT16:
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM:
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED:
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM:
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL:
    case ANEURALNETWORKS_TENSOR_QUANT16_ASYMM:
    case ANEURALNETWORKS_TENSOR_QUANT16_SYMM:
      return false;
    default:
      return true;
  }
}

}  // namespace

std::string encodePlan(const Plan& plan) {
  Writer w;
  w(uint64_t(plan.operands.size()));
  for (const OperandDesc& d : plan.operands) operandFields(w, d);
  w(uint64_t(plan.steps.size()));
  for (const PlanStep& step : plan.steps) {
    w(step.operation);
    w(uint32_t(step.params.index()));
    std::visit([&](const auto& p) { fields(w, p); }, step.params);
    w(step.release);
  }
  return std::move(w.out());
}

std::optional<Plan> decodePlan(const std::string& bytes, const Graph& graph, std::string* problem) {
  Reader r(bytes);
  Plan plan;
  uint64_t count = 0;
  r(count);
  if (count != graph.operands.size()) {
    *problem = "operand count differs from the model's";
    return std::nullopt;
  }
  plan.operands.resize(size_t(count));
  for (OperandDesc& d : plan.operands) operandFields(r, d);
  r(count);
  if (count != graph.order.size()) {
    *problem = "step count differs from the model's operation count";
    return std::nullopt;
  }
  plan.steps.resize(size_t(count));
  for (PlanStep& step : plan.steps) {
    r(step.operation);
    uint32_t index = 0;
    r(index);
    readParams(r, index, step.params, std::make_index_sequence<std::variant_size_v<nnapi_rules::OpParams>>());
    r(step.release);
  }
  if (!r.ok() || !r.atEnd()) {
    *problem = r.ok() ? "trailing bytes after the plan" : "the plan is cut short or corrupt";
    return std::nullopt;
  }
  *problem = mismatch(plan, graph);
  if (!problem->empty()) return std::nullopt;
  for (size_t i = 0; i < plan.operands.size(); ++i) plan.operands[i].value = graph.operands[i].value;
  return plan;
}

nnapi_digest::Digest graphDigest(const Graph& graph) {
  Writer w;
  w(uint64_t(graph.operands.size()));
  for (const OperandDesc& d : graph.operands) {
    operandFields(w, d);
    if (d.lifetime == nnapi_rules::Lifetime::Constant && d.value != nullptr && decidesPlan(d)) {
      w.bytes(d.value, d.length);
    }
  }
  w(uint64_t(graph.operations.size()));
  for (const Operation& op : graph.operations) {
    w(op.type);
    w(op.inputs);
    w(op.outputs);
  }
  w(graph.inputs);
  w(graph.outputs);
  w(graph.relaxed);
  return nnapi_digest::Sha256().update(w.out()).finish();
}

}  // namespace nnapi_host
