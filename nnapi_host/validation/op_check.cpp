#include "validation/op_check.h"

#include <cmath>
#include <cstring>

#include "nnapi/NeuralNetworks.h"

namespace nnapi_rules::detail {

OpCheck::OpCheck(int32_t op, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                 const std::vector<OperandDesc>& operands)
    : op_(op), name_(operationName(op)), inputs_(inputs), outputs_(outputs), operands_(operands) {
  optional_.assign(inputs.size(), false);
  inferred_.reserve(outputs.size());
  for (uint32_t index : outputs) inferred_.push_back(operands[index]);
}

std::string OpCheck::inputLabel(size_t i, const char* role) const {
  return name_ + " input " + std::to_string(i) + " (" + role + ", operand " + std::to_string(inputs_[i]) + ")";
}

void OpCheck::fail(const std::string& what) const { throw RuleFailure{name_ + ": " + what}; }

void OpCheck::failInput(size_t i, const char* role, const std::string& what) const {
  throw RuleFailure{inputLabel(i, role) + ": " + what};
}

void OpCheck::failOutput(size_t o, const std::string& what) const {
  throw RuleFailure{name_ + " output " + std::to_string(o) + " (operand " + std::to_string(outputs_[o]) + "): " + what};
}

void OpCheck::needLevel(int level, const std::string& what) {
  if (level > level_) {
    level_ = level;
    levelReason_ = what;
  }
}

void OpCheck::needFeature(Feature feature) { needLevel(featureLevel(feature), name_ + " with " + featureName(feature)); }

void OpCheck::needOperandTypeLevels() {
  for (const std::vector<uint32_t>* list : {&inputs_, &outputs_}) {
    for (uint32_t index : *list) {
      const int32_t type = operands_[index].type;
      needLevel(operandTypeLevel(type), name_ + " with a " + operandTypeName(type) + " operand");
    }
  }
}

void OpCheck::expectInputCount(std::initializer_list<size_t> allowed) const {
  std::string list;
  for (size_t n : allowed) {
    if (n == inputs_.size()) return;
    list += (list.empty() ? "" : " or ") + std::to_string(n);
  }
  fail("takes " + list + " inputs, got " + std::to_string(inputs_.size()));
}

void OpCheck::expectOutputCount(size_t n) const {
  if (outputs_.size() != n) fail("takes " + std::to_string(n) + " output(s), got " + std::to_string(outputs_.size()));
}

namespace {

std::string typeList(const std::vector<int32_t>& types) {
  std::string list;
  for (int32_t type : types) list += (list.empty() ? "" : ", ") + operandTypeName(type);
  return list;
}

}  // namespace

int32_t OpCheck::tensorType(size_t i, const char* role) {
  const int32_t type = in(i).type;
  const int level = operationLevel(op_, type);
  if (level == 0)
    failInput(i, role,
              "type " + operandTypeName(type) + " is not accepted (accepted: " + typeList(operationTypes(op_)) + ")");
  needLevel(level, name_ + " on " + operandTypeName(type));
  return type;
}

int32_t OpCheck::outputTensorType(size_t o) {
  const int32_t type = declaredOut(o).type;
  const int level = outputTypeLevel(op_, type);
  if (level == 0)
    failOutput(o, "type is " + operandTypeName(type) + ", expected one of " + typeList(outputTypes(op_)));
  needLevel(level, name_ + " to " + operandTypeName(type));
  return type;
}

void OpCheck::sameType(size_t i, const char* role, size_t ref) const {
  if (in(i).type != in(ref).type)
    failInput(i, role,
              "type " + operandTypeName(in(i).type) + " differs from input " + std::to_string(ref) + "'s " +
                  operandTypeName(in(ref).type));
}

void OpCheck::expectRank(size_t i, const char* role, size_t minRank, size_t maxRank) const {
  const size_t rank = in(i).dims.size();
  if (rank == 0) return;  // unknown rank (FL3): checked at execution
  if (rank < minRank || rank > maxRank) {
    const std::string want =
        minRank == maxRank ? std::to_string(minRank) : std::to_string(minRank) + ".." + std::to_string(maxRank);
    failInput(i, role, "rank is " + std::to_string(rank) + " " + dimsToString(in(i).dims) + ", expected " + want);
  }
}

void OpCheck::sameQuant(size_t i, const char* role, size_t ref) const {
  if (!isQuantized8(in(i).type)) return;
  if (in(i).scale != in(ref).scale || in(i).zeroPoint != in(ref).zeroPoint)
    failInput(i, role,
              "scale/zeroPoint " + std::to_string(in(i).scale) + "/" + std::to_string(in(i).zeroPoint) +
                  " differ from input " + std::to_string(ref) + "'s " + std::to_string(in(ref).scale) + "/" +
                  std::to_string(in(ref).zeroPoint));
}

void OpCheck::outputType(size_t o, int32_t type) const {
  if (declaredOut(o).type != type)
    failOutput(o, "type is " + operandTypeName(declaredOut(o).type) + ", expected " + operandTypeName(type));
}

void OpCheck::outputSameQuant(size_t o, size_t ref) {
  if (!isQuantized8(in(ref).type)) return;
  const OperandDesc& d = declaredOut(o);
  if (d.scale != in(ref).scale || d.zeroPoint != in(ref).zeroPoint)
    failOutput(o, "scale/zeroPoint " + std::to_string(d.scale) + "/" + std::to_string(d.zeroPoint) +
                      " must equal input " + std::to_string(ref) + "'s " + std::to_string(in(ref).scale) + "/" +
                      std::to_string(in(ref).zeroPoint));
}

void OpCheck::fixedOutputQuant(size_t o, float scale, int32_t zeroPoint) {
  const OperandDesc& d = declaredOut(o);
  if (d.scale != scale || d.zeroPoint != zeroPoint)  // exact float comparison, as the reference does
    failOutput(o, "scale/zeroPoint must be exactly " + std::to_string(scale) + "/" + std::to_string(zeroPoint) +
                      ", got " + std::to_string(d.scale) + "/" + std::to_string(d.zeroPoint));
}

const OperandDesc& OpCheck::scalar(size_t i, const char* role, int32_t type) const {
  const OperandDesc& d = in(i);
  if (d.type != type) failInput(i, role, "type is " + operandTypeName(d.type) + ", expected " + operandTypeName(type));
  if (d.lifetime != Lifetime::Constant || d.value == nullptr)
    failInput(i, role, "must be a constant set (setOperandValue) before the operation is added");
  if (d.length != elementSize(type))
    failInput(i, role,
              "value has " + std::to_string(d.length) + " bytes, expected " + std::to_string(elementSize(type)));
  return d;
}

bool OpCheck::omitted(size_t i) {
  optional_[i] = true;
  return in(i).lifetime == Lifetime::NoValue;
}

void OpCheck::checkOmittedInputs() const {
  for (size_t i = 0; i < inputs_.size(); ++i)
    if (!optional_[i] && in(i).lifetime == Lifetime::NoValue)
      failInput(i, "operand", "is omitted (setOperandValue with NULL), but this input is required");
}

int32_t OpCheck::i32(size_t i, const char* role) const {
  int32_t v;
  std::memcpy(&v, scalar(i, role, ANEURALNETWORKS_INT32).value, sizeof v);
  return v;
}

bool OpCheck::boolean(size_t i, const char* role) const {
  return *static_cast<const uint8_t*>(scalar(i, role, ANEURALNETWORKS_BOOL).value) != 0;
}

float OpCheck::floatScalar(size_t i, const char* role, int32_t tensorType) const {
  if (tensorType == ANEURALNETWORKS_TENSOR_FLOAT16) {
    uint16_t h;
    std::memcpy(&h, scalar(i, role, ANEURALNETWORKS_FLOAT16).value, sizeof h);
    return halfToFloat(h);
  }
  float v;
  std::memcpy(&v, scalar(i, role, ANEURALNETWORKS_FLOAT32).value, sizeof v);
  return v;
}

std::vector<int32_t> OpCheck::i32Tensor(size_t i, const char* role) const {
  const OperandDesc& d = in(i);
  if (d.type != ANEURALNETWORKS_TENSOR_INT32)
    failInput(i, role, "type is " + operandTypeName(d.type) + ", expected TENSOR_INT32");
  if (d.lifetime != Lifetime::Constant || d.value == nullptr)
    failInput(i, role, "must be a constant set (setOperandValue) before the operation is added");
  std::vector<int32_t> values(d.length / sizeof(int32_t));
  if (!values.empty()) std::memcpy(values.data(), d.value, values.size() * sizeof(int32_t));
  return values;
}

std::optional<std::vector<int32_t>> OpCheck::i32TensorIfConstant(size_t i, const char* role) const {
  const OperandDesc& d = in(i);
  if (d.lifetime == Lifetime::Constant) return i32Tensor(i, role);
  if (d.type != ANEURALNETWORKS_TENSOR_INT32)
    failInput(i, role, "type is " + operandTypeName(d.type) + ", expected TENSOR_INT32");
  if (d.dims.size() > 1) failInput(i, role, "rank is " + std::to_string(d.dims.size()) + ", expected 1");
  return std::nullopt;
}

int32_t OpCheck::fuse(size_t i) const {
  const int32_t code = i32(i, "fused activation");
  if (code < ANEURALNETWORKS_FUSED_NONE || code > ANEURALNETWORKS_FUSED_RELU6)
    failInput(i, "fused activation", "FuseCode " + std::to_string(code) + " is not 0..3");
  return code;
}

uint32_t OpCheck::axis(size_t i, const char* role, int32_t value, size_t rank) const {
  const int32_t n = int32_t(rank);
  if (value < -n || value >= n)
    failInput(i, role,
              "axis " + std::to_string(value) + " is outside [" + std::to_string(-n) + ", " + std::to_string(n) +
                  ") for rank " + std::to_string(rank));
  return uint32_t(value < 0 ? value + n : value);
}

bool isQuantized8(int32_t type) {
  return type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM || type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED;
}

bool isFloatTensor(int32_t type) {
  return type == ANEURALNETWORKS_TENSOR_FLOAT32 || type == ANEURALNETWORKS_TENSOR_FLOAT16;
}

std::string dimsToString(const std::vector<uint32_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + (dims[i] ? std::to_string(dims[i]) : "?");
  return s + "]";
}

float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h >> 15) << 31;
  const int exponent = (h >> 10) & 0x1f;
  const uint32_t mantissa = h & 0x3ff;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(float(mantissa), -24);  // subnormal
  else if (exponent == 31)
    magnitude = mantissa ? NAN : INFINITY;
  else
    magnitude = std::ldexp(float(mantissa | 0x400), exponent - 25);
  return sign ? -magnitude : magnitude;
}

Nhwc readNhwc(const std::vector<uint32_t>& d, bool nchw) {
  return nchw ? Nhwc{d[0], d[2], d[3], d[1]} : Nhwc{d[0], d[1], d[2], d[3]};
}

std::vector<uint32_t> writeNhwc(const Nhwc& s, bool nchw) {
  return nchw ? std::vector<uint32_t>{s.n, s.c, s.h, s.w} : std::vector<uint32_t>{s.n, s.h, s.w, s.c};
}

void implicitPadding(int32_t code, uint32_t in, uint32_t stride, uint32_t effectiveKernel, int32_t* head,
                     int32_t* tail) {
  *head = *tail = 0;
  if (code != ANEURALNETWORKS_PADDING_SAME || in == 0) return;
  const int64_t out = (int64_t(in) + stride - 1) / stride;
  const int64_t needed = (out - 1) * stride + effectiveKernel;
  const int64_t total = needed > in ? needed - in : 0;
  *head = int32_t(total / 2);
  *tail = int32_t(total - total / 2);
}

uint32_t windowOutputSize(uint32_t in, uint32_t effectiveKernel, uint32_t stride, int32_t head, int32_t tail) {
  if (in == 0) return 0;
  const int64_t span = int64_t(in) - effectiveKernel + stride + head + tail;
  return span <= 0 ? 0 : uint32_t(span / stride);
}

std::vector<uint32_t> broadcastShapes(const OpCheck& c, const std::vector<uint32_t>& a,
                                      const std::vector<uint32_t>& b) {
  const size_t rank = std::max(a.size(), b.size());
  std::vector<uint32_t> out(rank);
  for (size_t k = 0; k < rank; ++k) {  // k counts from the trailing dimension
    const uint32_t da = k < a.size() ? a[a.size() - 1 - k] : 1;
    const uint32_t db = k < b.size() ? b[b.size() - 1 - k] : 1;
    uint32_t d;
    if (da == db || db == 1)
      d = da;
    else if (da == 1)
      d = db;
    else if (da == 0 || db == 0)
      d = 0;  // unknown: decided at execution
    else
      c.fail("shapes " + dimsToString(a) + " and " + dimsToString(b) + " do not broadcast (dimension " +
             std::to_string(da) + " vs " + std::to_string(db) + ")");
    out[rank - 1 - k] = d;
  }
  return out;
}

}  // namespace nnapi_rules::detail
