// Nodes that do nothing in an inference model: their output is their input (the same operand or constant), no
// NNAPI operation is emitted. Memory format does not matter either: layouts are the converter's own choice.
#include "ops/registry.h"

namespace nnc {
namespace {

// contiguous(self, memory_format), clone(self, memory_format?), detach(self)
void passThrough(LoweringContext& ctx) {
  const Value& input = ctx.input(0);
  if (input.kind == Value::Kind::Constant) {
    ctx.setOutputConstant(0, input.constant);
  } else {
    ctx.setOutput(0, ctx.operandInput(0));
  }
}

// dropout(input, p, train), feature_dropout(input, p, train): identity when not training.
void lowerDropout(LoweringContext& ctx) {
  ctx.require(!ctx.boolInput(2), ctx.node().kind + " in training mode is not supported: convert the model after "
                                                   "model.eval()");
  passThrough(ctx);
}

}  // namespace

void registerIdentity(Registry& registry) {
  registry.add({"aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::feature_dropout_"},
               lowerDropout);
  registry.add({"aten::contiguous", "aten::clone", "aten::detach"}, passThrough);
}

}  // namespace nnc
