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
void registerPermute(Registry& registry);
void registerSplit(Registry& registry);
void registerChannelShuffle(Registry& registry);
void registerStack(Registry& registry);
void registerPadding(Registry& registry);
void registerSlicing(Registry& registry);
void registerGather(Registry& registry);
void registerBroadcast(Registry& registry);
void registerGelu(Registry& registry);
void registerSmoothActivation(Registry& registry);
void registerUnaryMath(Registry& registry);
void registerRectifier(Registry& registry);
void registerBatchedMatmul(Registry& registry);
void registerRecurrent(Registry& registry);
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
    registerPermute(r);
    registerSplit(r);
    registerChannelShuffle(r);
    registerStack(r);
    registerPadding(r);
    registerSlicing(r);
    registerGather(r);
    registerBroadcast(r);
    registerGelu(r);
    registerSmoothActivation(r);
    registerUnaryMath(r);
    registerRectifier(r);
    registerBatchedMatmul(r);
    registerRecurrent(r);
    registerResize(r);
    registerPixelShuffle(r);
    registerNormalization(r);
    return r;
  }();
  return all;
}

}  // namespace nnc
