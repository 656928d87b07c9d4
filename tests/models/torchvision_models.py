"""Torchvision classification networks with fixed-seed random weights (nothing is downloaded).

BatchNorm layers get random running statistics and affine parameters, so a converter that folds BatchNorm
into the preceding convolution is really tested: with torchvision's default init (mean 0, var 1, weight 1,
bias 0) folding is close to a no-op and mistakes would go unnoticed.
"""
import torch
import torchvision

IMAGE_SHAPE = (1, 3, 224, 224)

# Name -> constructor. googlenet's auxiliary classifiers only run in training mode; init_weights=True avoids
# the warning about the changed default and gives its truncated-normal init.
CONSTRUCTORS = {
    "mobilenet_v2": lambda: torchvision.models.mobilenet_v2(weights=None),
    "mobilenet_v3_small": lambda: torchvision.models.mobilenet_v3_small(weights=None),
    "resnet18": lambda: torchvision.models.resnet18(weights=None),
    "resnet50": lambda: torchvision.models.resnet50(weights=None),
    "squeezenet1_1": lambda: torchvision.models.squeezenet1_1(weights=None),
    "mnasnet0_5": lambda: torchvision.models.mnasnet0_5(weights=None),
    "googlenet": lambda: torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=True),
}


def randomize_batch_norms(module):
    """Gives every BatchNorm random statistics and affine parameters from torch's global generator.

    var ~ U(0.5, 1.5) and weight ~ U(0.5, 1.5) keep each layer's output scale near its input's, so deep
    random-weight networks neither explode nor vanish; mean and bias ~ U(-0.25, 0.25) make folding non-trivial.
    """
    def uniform(tensor, low, high):
        return torch.rand(tensor.shape) * (high - low) + low

    with torch.no_grad():
        for layer in module.modules():
            if isinstance(layer, torch.nn.modules.batchnorm._BatchNorm):
                layer.running_mean.copy_(uniform(layer.running_mean, -0.25, 0.25))
                layer.running_var.copy_(uniform(layer.running_var, 0.5, 1.5))
                if layer.affine:
                    layer.weight.copy_(uniform(layer.weight, 0.5, 1.5))
                    layer.bias.copy_(uniform(layer.bias, -0.25, 0.25))


def build(name, seed):
    """Returns the network `name` in eval mode with weights drawn from `seed`."""
    torch.manual_seed(seed)
    network = CONSTRUCTORS[name]()
    randomize_batch_norms(network)
    return network.eval()


# Every network is verified at the oldest API levels it may be deployed to, each on a desktop NNAPI that emulates
# exactly that level's feature level (see model_spec.CHECKS, verify_apiNN).
API_LEVEL_CHECKS = ("verify_api27", "verify_api28", "verify_api29", "verify_api30")
# Converted once with a batch fixed only at run time (--input -1,3,224,224) and run at two batch sizes: ResNet18
# covers convolutions, residual adds, pooling, flatten and linear.
FLEXIBLE_BATCH = ("resnet18",)
# Networks whose every op has a feature-level-1 form: `convert --min-api 27 --strict` must succeed.
WHOLLY_ON_NNAPI_AT_API27 = ("mobilenet_v2", "resnet18")


def specs():
    from model_spec import ModelSpec, seed_for, traced

    def spec(name, checks=("verify", "python"), **spec_args):
        checks = tuple(checks) + API_LEVEL_CHECKS
        if name in FLEXIBLE_BATCH:
            checks += ("flexible_batch",)
        if name in WHOLLY_ON_NNAPI_AT_API27:
            checks += ("python_api27_strict",)
        return ModelSpec(name=name, kind="torchvision", inputs=[IMAGE_SHAPE],
                         write=traced(lambda: build(name, seed_for(name))), checks=checks, **spec_args)

    # MobileNetV2 (52 convolutions, 10 adds, pooling, one linear) needs well under 100 NNAPI operations once
    # BatchNorm and ReLU6 are folded into the convolutions, all in one NNAPI partition.
    mobilenet_checks = ("verify", "python", "python_nhwc", "inspect", "inspect_nhwc", "verify_json", "verify_layers",
                        "python_stock")
    mobilenet_limits = {"max_operations": 99, "max_partitions": 1, "max_cpu_ops": 0}
    # Its float weights are stored once in either format (its CPU fallback reads views of NNAPI's weights), so the
    # converted file (python: flatbuffer, python_stock) is at most 10% larger than the original (measured: 0.96x
    # in both).
    return [spec("mobilenet_v2", checks=mobilenet_checks, inspect_limits=mobilenet_limits,
                 manifest_extra={"max_size_ratio": 1.1})] + [
        spec(name) for name in CONSTRUCTORS if name != "mobilenet_v2"]
