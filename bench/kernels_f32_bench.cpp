// Times the float32 kernels of the desktop NNAPI on every layer shape of ResNet50 and MobileNetV2 (224×224,
// batch 1), so that their sum can be set against libtorch's forward time at the same thread count
// (bench/kernels_f32_vs_torch.py runs this program and times the same shapes with torch).
//
// Usage: kernels_f32_bench [resnet50|mobilenet_v2|all] [--cpu-time]   (threads: NNAPI_HOST_THREADS)
// --cpu-time measures the calling thread's CPU time instead of wall time: with NNAPI_HOST_THREADS=1 this is
// the kernels' own cost even while other processes load the machine (wall times then mostly measure the load).
// Output: one line per distinct layer shape,
//   layer <net> <kind> n h w cin cout kernel stride pad groups count best_ms
// where `count` is how often the shape occurs in the network, then a `total <net> <ms>` line (Σ count·best).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "kernels/compute_f32.h"

using nnapi_host::kernels::FloatRange;
using nnapi_host::kernels::Shape4;
using nnapi_host::kernels::Window;

namespace {

enum class Kind { kConv, kDepthwise, kMaxPool, kAveragePool, kFullyConnected };

const char* kindName(Kind kind) {
  switch (kind) {
    case Kind::kConv: return "conv";
    case Kind::kDepthwise: return "depthwise";
    case Kind::kMaxPool: return "maxpool";
    case Kind::kAveragePool: return "avgpool";
    case Kind::kFullyConnected: return "fc";
  }
  return "?";
}

// One layer of a network, square maps and kernels, symmetric padding. For fc, h = w = 1 and cin/cout are the
// input size and units.
struct Layer {
  Kind kind;
  uint32_t h, cin, cout, kernel, stride, pad;
  auto key() const { return std::make_tuple(int(kind), h, cin, cout, kernel, stride, pad); }
  uint32_t outExtent() const { return (h + 2 * pad - kernel) / stride + 1; }
};

// torchvision's ResNet50 (v1.5: the stride sits on the 3×3 convolution of each stage's first block).
std::vector<Layer> resnet50Layers() {
  std::vector<Layer> layers{{Kind::kConv, 224, 3, 64, 7, 2, 3}, {Kind::kMaxPool, 112, 64, 64, 3, 2, 1}};
  struct Stage {
    uint32_t blocks, width, stride;
  };
  uint32_t size = 56, channels = 64;
  for (const Stage& stage : {Stage{3, 64, 1}, Stage{4, 128, 2}, Stage{6, 256, 2}, Stage{3, 512, 2}}) {
    const uint32_t expanded = stage.width * 4;
    for (uint32_t b = 0; b < stage.blocks; ++b) {
      const uint32_t stride = b == 0 ? stage.stride : 1;
      const uint32_t outSize = size / stride;
      layers.push_back({Kind::kConv, size, channels, stage.width, 1, 1, 0});
      layers.push_back({Kind::kConv, size, stage.width, stage.width, 3, stride, 1});
      layers.push_back({Kind::kConv, outSize, stage.width, expanded, 1, 1, 0});
      if (b == 0) layers.push_back({Kind::kConv, size, channels, expanded, 1, stride, 0});  // downsample
      size = outSize;
      channels = expanded;
    }
  }
  layers.push_back({Kind::kAveragePool, 7, 2048, 2048, 7, 1, 0});
  layers.push_back({Kind::kFullyConnected, 1, 2048, 1000, 1, 1, 0});
  return layers;
}

// torchvision's MobileNetV2 (width 1.0): inverted residual blocks (expansion t, channels c, repeats n, stride s).
std::vector<Layer> mobilenetV2Layers() {
  std::vector<Layer> layers{{Kind::kConv, 224, 3, 32, 3, 2, 1}};
  struct Setting {
    uint32_t t, c, n, s;
  };
  uint32_t size = 112, channels = 32;
  for (const Setting& setting : {Setting{1, 16, 1, 1}, Setting{6, 24, 2, 2}, Setting{6, 32, 3, 2},
                                 Setting{6, 64, 4, 2}, Setting{6, 96, 3, 1}, Setting{6, 160, 3, 2},
                                 Setting{6, 320, 1, 1}}) {
    for (uint32_t i = 0; i < setting.n; ++i) {
      const uint32_t stride = i == 0 ? setting.s : 1;
      const uint32_t hidden = channels * setting.t;
      if (setting.t != 1) layers.push_back({Kind::kConv, size, channels, hidden, 1, 1, 0});
      layers.push_back({Kind::kDepthwise, size, hidden, hidden, 3, stride, 1});
      size = (size + 2 - 3) / stride + 1;
      layers.push_back({Kind::kConv, size, hidden, setting.c, 1, 1, 0});
      channels = setting.c;
    }
  }
  layers.push_back({Kind::kConv, 7, 320, 1280, 1, 1, 0});
  layers.push_back({Kind::kAveragePool, 7, 1280, 1280, 7, 1, 0});
  layers.push_back({Kind::kFullyConnected, 1, 1280, 1000, 1, 1, 0});
  return layers;
}

std::vector<float> filled(std::size_t count, float value) { return std::vector<float>(count, value); }

bool useCpuTime = false;

double nowMilliseconds() {
  timespec t{};
  clock_gettime(useCpuTime ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

// Best (minimum) time of one run in milliseconds: the machine is shared, and the minimum is the figure least
// disturbed by other processes.
template <typename Run>
double bestMilliseconds(Run run) {
  run();  // warm-up: thread pool start, scratch buffers, page faults
  double best = 1e30, spent = 0;
  for (int rep = 0; rep < 500 && (rep < 5 || spent < 300.0); ++rep) {
    const double start = nowMilliseconds();
    run();
    const double ms = nowMilliseconds() - start;
    best = std::min(best, ms);
    spent += ms;
  }
  return best;
}

double timeLayer(const Layer& layer) {
  const uint32_t out = layer.outExtent();
  const Shape4 inShape{1, layer.h, layer.h, layer.cin};
  const Shape4 outShape{1, out, out, layer.cout};
  Window win;
  win.filter_h = win.filter_w = layer.kernel;
  win.stride_h = win.stride_w = layer.stride;
  win.pad_left = win.pad_right = win.pad_top = win.pad_bottom = layer.pad;
  const FloatRange relu6{0.0f, 6.0f};
  // Values do not affect float timing (no denormals from these), so constant buffers will do.
  const auto input = filled(inShape.elements(), 0.5f);
  auto output = filled(outShape.elements(), 0.0f);
  const auto bias = filled(layer.cout, 0.1f);
  switch (layer.kind) {
    case Kind::kConv: {
      const auto filter = filled(std::size_t(layer.cout) * layer.kernel * layer.kernel * layer.cin, 0.01f);
      return bestMilliseconds([&] {
        nnapi_host::kernels::conv2dF32(input.data(), inShape, filter.data(), bias.data(), 1, win, relu6,
                                       output.data(), outShape);
      });
    }
    case Kind::kDepthwise: {
      const auto filter = filled(std::size_t(layer.kernel) * layer.kernel * layer.cout, 0.01f);
      return bestMilliseconds([&] {
        nnapi_host::kernels::depthwiseConv2dF32(input.data(), inShape, filter.data(), bias.data(), 1, win, relu6,
                                                output.data(), outShape);
      });
    }
    case Kind::kMaxPool:
      return bestMilliseconds([&] {
        nnapi_host::kernels::maxPool2dF32(input.data(), inShape, win, {}, output.data(), outShape);
      });
    case Kind::kAveragePool:
      return bestMilliseconds([&] {
        nnapi_host::kernels::averagePool2dF32(input.data(), inShape, win, {}, output.data(), outShape);
      });
    case Kind::kFullyConnected: {
      const auto weights = filled(std::size_t(layer.cout) * layer.cin, 0.01f);
      return bestMilliseconds([&] {
        nnapi_host::kernels::fullyConnectedF32(input.data(), 1, layer.cin, weights.data(), bias.data(), layer.cout,
                                               {}, output.data());
      });
    }
  }
  return 0;
}

void benchNetwork(const char* name, const std::vector<Layer>& layers) {
  // Identical shapes are timed once and weighted by how often they occur.
  std::map<decltype(layers[0].key()), std::pair<Layer, int>> distinct;
  std::vector<decltype(layers[0].key())> order;
  for (const Layer& layer : layers) {
    auto [it, inserted] = distinct.try_emplace(layer.key(), layer, 0);
    if (inserted) order.push_back(layer.key());
    ++it->second.second;
  }
  double total = 0;
  for (const auto& key : order) {
    const auto& [layer, count] = distinct.at(key);
    const double ms = timeLayer(layer);
    total += ms * count;
    std::printf("layer %s %s 1 %u %u %u %u %u %u %u %u %d %.4f\n", name, kindName(layer.kind), layer.h, layer.h,
                layer.cin, layer.cout, layer.kernel, layer.stride, layer.pad,
                layer.kind == Kind::kDepthwise ? layer.cin : 1u, count, ms);
    std::fflush(stdout);
  }
  std::printf("total %s %.3f\n", name, total);
}

}  // namespace

int main(int argc, char** argv) {
  std::string which = "all";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--cpu-time") {
      useCpuTime = true;
    } else if (arg == "all" || arg == "resnet50" || arg == "mobilenet_v2") {
      which = arg;
    } else {
      std::fprintf(stderr,
                   "kernels_f32_bench: unknown argument '%s' (expected resnet50, mobilenet_v2, all or --cpu-time)\n",
                   arg.c_str());
      return 2;
    }
  }
  std::printf("threads %d, %s time\n", nnapi_host::kernels::threadCount(), useCpuTime ? "thread CPU" : "wall");
  if (which != "mobilenet_v2") benchNetwork("resnet50", resnet50Layers());
  if (which != "resnet50") benchNetwork("mobilenet_v2", mobilenetV2Layers());
  return 0;
}
