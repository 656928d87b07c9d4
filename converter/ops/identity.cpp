// Nodes that do nothing in an inference model: their output is their input (the same operand or constant), no
// NNAPI operation is emitted. Memory format does not matter either: layouts are the converter's own choice.
#include "ops/registry.h"

namespace nnc {
namespace {

// contiguous(self, memory_format), clone(self, memory_format?), detach(self): the output is input 0 itself.
Emitter passThrough(const LoweringContext& ctx) {
  ctx.require(ctx.isTensor(0) || ctx.input(0).kind == Value::Kind::Constant,
              "the input must be a tensor computed by the model or a constant");
  return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
}

// dropout(input, p, train), feature_dropout(input, p, train): identity when not training.
Emitter lowerDropout(const LoweringContext& ctx) {
  ctx.require(!ctx.boolInput(2), ctx.node().kind + " in training mode is not supported: convert the model after "
                                                   "model.eval()");
  return passThrough(ctx);
}

}  // namespace

void registerIdentity(Registry& registry) {
  registry.add({"aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::feature_dropout_"},
               lowerDropout);
  registry.add({"aten::contiguous", "aten::clone", "aten::detach"}, passThrough);
}

}  // namespace nnc
