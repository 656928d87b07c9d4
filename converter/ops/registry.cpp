// One line per op family; each family's file registers the TorchScript kinds it lowers.
#include "ops/registry.h"

namespace nnc {

void registerConvolution(Registry& registry);
void registerLinear(Registry& registry);
void registerElementwise(Registry& registry);
void registerShapeOps(Registry& registry);
void registerActivation(Registry& registry);
void registerPooling(Registry& registry);
void registerReduction(Registry& registry);
void registerSoftmax(Registry& registry);
void registerConcat(Registry& registry);
void registerBatchNorm(Registry& registry);
void registerIdentity(Registry& registry);
void registerQuantize(Registry& registry);
void registerQuantizedConv(Registry& registry);
void registerQuantizedLinear(Registry& registry);
void registerQuantizedElementwise(Registry& registry);
void registerResize(Registry& registry);
void registerPixelShuffle(Registry& registry);
void registerNormalization(Registry& registry);

const Registry& registry() {
  static const Registry all = [] {
    Registry r;
    registerConvolution(r);
    registerLinear(r);
    registerElementwise(r);
    registerShapeOps(r);
    registerActivation(r);
    registerPooling(r);
    registerReduction(r);
    registerSoftmax(r);
    registerConcat(r);
    registerBatchNorm(r);
    registerIdentity(r);
    registerQuantize(r);
    registerQuantizedConv(r);
    registerQuantizedLinear(r);
    registerQuantizedElementwise(r);
    registerResize(r);
    registerPixelShuffle(r);
    registerNormalization(r);
    return r;
  }();
  return all;
}

}  // namespace nnc
