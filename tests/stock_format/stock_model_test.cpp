// serializeStockModel: the words PyTorch's NNAPI loader (aten/src/ATen/nnapi/nnapi_model_loader.cpp) reads, decoded
// here by the loader's own rules, and the weight tensors the large constants refer to.
#include "serialize/stock_model.h"

#include <catch2/catch.hpp>

#include <cstring>

#include "nnapi/NeuralNetworks.h"

namespace {

// The loader's layout, read back: header, operands, values, operations, dims, value data, arguments, ins, outs.
struct Decoded {
  int32_t version = 0;
  struct Operand { int32_t type; std::vector<int32_t> dims; float scale; int32_t zero_point; };
  struct Value { int32_t operand, source; std::vector<uint8_t> data; };
  struct Operation { int32_t type; std::vector<int32_t> inputs, outputs; };
  std::vector<Operand> operands;
  std::vector<Value> values;
  std::vector<Operation> operations;
  std::vector<int32_t> inputs, outputs;
  size_t words_read = 0;
};

Decoded decode(const at::Tensor& serialized) {
  REQUIRE(serialized.scalar_type() == at::kInt);
  REQUIRE(serialized.is_contiguous());
  const int32_t* w = serialized.data_ptr<int32_t>();
  size_t at = 0;
  auto next = [&]() { REQUIRE(at < size_t(serialized.numel())); return w[at++]; };
  Decoded d;
  d.version = next();
  const int32_t operands = next(), values = next(), operations = next(), inputs = next(), outputs = next();
  for (int32_t i = 0; i < operands; ++i) {
    Decoded::Operand o;
    o.type = next();
    o.dims.resize(next());
    const int32_t scale_bits = next();
    std::memcpy(&o.scale, &scale_bits, sizeof o.scale);
    o.zero_point = next();
    d.operands.push_back(o);
  }
  std::vector<int32_t> lengths;
  for (int32_t i = 0; i < values; ++i) {
    Decoded::Value v;
    v.operand = next();
    v.source = next();
    lengths.push_back(next());
    d.values.push_back(v);
  }
  std::vector<std::pair<int32_t, int32_t>> counts;
  for (int32_t i = 0; i < operations; ++i) {
    Decoded::Operation op;
    op.type = next();
    const int32_t input_count = next();  // two statements: argument evaluation order is unspecified
    counts.emplace_back(input_count, next());
    d.operations.push_back(op);
  }
  for (auto& o : d.operands) for (int32_t& dim : o.dims) dim = next();
  for (size_t i = 0; i < d.values.size(); ++i) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(w + at);
    d.values[i].data.assign(bytes, bytes + lengths[i]);
    at += (lengths[i] + 3) / 4;  // padded to 4 bytes
  }
  for (size_t i = 0; i < d.operations.size(); ++i) {
    for (int32_t k = 0; k < counts[i].first; ++k) d.operations[i].inputs.push_back(next());
    for (int32_t k = 0; k < counts[i].second; ++k) d.operations[i].outputs.push_back(next());
  }
  for (int32_t i = 0; i < inputs; ++i) d.inputs.push_back(next());
  for (int32_t i = 0; i < outputs; ++i) d.outputs.push_back(next());
  d.words_read = at;
  return d;
}

template <typename T>
std::vector<uint8_t> bytesOf(const std::vector<T>& values) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(values.data());
  return {bytes, bytes + values.size() * sizeof(T)};
}

}  // namespace

TEST_CASE("stock model: the loader's layout, constants over 128 bytes as weight tensors", "[stock]") {
  // y = (x + big) + small, x [1, 33]; big has 33 floats (132 bytes), small one float.
  nnc::ir::Model model;
  const uint32_t x = model.addInput(ANEURALNETWORKS_TENSOR_FLOAT32, {1, 33}, nnc::ir::Layout::Contiguous, "x");
  std::vector<float> big_values(33), small_values = {0.25f};
  for (size_t i = 0; i < big_values.size(); ++i) big_values[i] = 0.5f * float(i);
  const uint32_t big = model.addTensorFloat32({33}, big_values, nnc::ir::Layout::Contiguous, "big");
  const uint32_t small = model.addTensorFloat32({1}, small_values, nnc::ir::Layout::Contiguous, "small");
  const uint32_t fuse = model.addScalarInt32(ANEURALNETWORKS_FUSED_NONE);
  const uint32_t sum = model.addOperation(ANEURALNETWORKS_ADD, {x, big, fuse}, nnc::ir::OutputSpec{}, "test");
  const uint32_t y = model.addOperation(ANEURALNETWORKS_ADD, {sum, small, fuse}, nnc::ir::OutputSpec{}, "test");
  const uint32_t flag = model.addScalarBool(true);  // one byte: padded to a word
  model.setOutputs({y});

  const nnc::StockModel stock = nnc::serializeStockModel(model);
  const Decoded d = decode(stock.serialized);
  CHECK(d.words_read == size_t(stock.serialized.numel()));  // nothing after the outputs, as the loader requires
  CHECK(d.version == 1);
  REQUIRE(d.operands.size() == model.operands().size());
  CHECK(d.operands[x].type == ANEURALNETWORKS_TENSOR_FLOAT32);
  CHECK(d.operands[x].dims == std::vector<int32_t>{1, 33});
  CHECK(d.operands[fuse].dims.empty());
  REQUIRE(d.operations.size() == 2);
  CHECK(d.operations[0].type == ANEURALNETWORKS_ADD);
  CHECK(d.operations[0].inputs == std::vector<int32_t>{int32_t(x), int32_t(big), int32_t(fuse)});
  CHECK(d.operations[1].outputs == std::vector<int32_t>{int32_t(y)});
  CHECK(d.inputs == std::vector<int32_t>{int32_t(x)});
  CHECK(d.outputs == std::vector<int32_t>{int32_t(y)});

  // big: a numbered buffer {weight 0, offset 0, 132 bytes}; the weight holds its values, typed and shaped.
  REQUIRE(stock.weights.size() == 1);
  const at::Tensor& weight = stock.weights[0];
  CHECK(weight.scalar_type() == at::kFloat);
  CHECK(weight.sizes() == at::IntArrayRef{33});
  CHECK(std::memcmp(weight.data_ptr<float>(), big_values.data(), 132) == 0);
  std::map<int32_t, Decoded::Value> values;
  for (const auto& v : d.values) values[v.operand] = v;
  REQUIRE(values.size() == 4);
  CHECK(values.at(big).source == 2);
  CHECK(values.at(big).data == bytesOf(std::vector<int32_t>{0, 0, 132}));
  // The rest are immediates, in the model.
  CHECK(values.at(small).source == 0);
  CHECK(values.at(small).data == bytesOf(small_values));
  CHECK(values.at(fuse).data == bytesOf(std::vector<int32_t>{ANEURALNETWORKS_FUSED_NONE}));
  CHECK(values.at(flag).data == std::vector<uint8_t>{1});
}

TEST_CASE("stock model: a per-channel operand is refused, naming it", "[stock]") {
  nnc::ir::Model model;
  nnc::ir::Operand filter;
  filter.type = ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL;
  filter.dims = {2, 1, 1, 1};
  filter.per_channel = nnc::ir::PerChannelQuant{0, {0.5f, 0.25f}};
  filter.name = "conv1 weight";
  const int8_t bytes[2] = {1, -1};
  model.addConstant(filter, bytes, 2);
  CHECK_THROWS_WITH(nnc::serializeStockModel(model), Catch::Matchers::Contains("conv1 weight") &&
                                                         Catch::Matchers::Contains("per channel"));
}
