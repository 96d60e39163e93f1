#!/usr/bin/env python3
"""Writes full-size PyTorch checkpoints as the authors publish them (a `torch.save` of
`model.state_dict()`), to time `psa weights import` and run the `*-published` presets on files of the
real size without downloading anything. The networks are torch.nn modules written for this project
from REFERENCE.md's layer tables, with the attribute names of the authors' classes, so the
state_dict keys, shapes and order (batch-norm `num_batches_tracked` counters included) are what
`torch.save(model.state_dict())` writes for the authors' networks.

    /usr/bin/python3 psa-bench/bench/torch_checkpoints.py OUT_DIR [--legacy] [--seed 2018]
        [--check-keys psa-backbones/src/test/resources/torch-fixtures/expected.json]

Writes res38_cls.pth (ResNet-38 + fc8), res38_aff.pth (ResNet-38 + f8_3..5, f9), vgg16_cls.pth
(VGG16-d + fc8) and vgg16_aff.pth (VGG16-d + f8_3..5, GroupNorm gn8_3..5, f9); with --legacy in
the pre-1.6 format (`_use_new_zipfile_serialization=False`). Values are random, deterministic by
seed: He-normal convs, batch-norm statistics and GroupNorm affines near their defaults. --check-keys compares the ResNet-38 key lists with the `*_allkeys*` fixtures
(every key of the authors' resnet38_cls / resnet38_aff state_dicts, checked against their code).
Needs Debian's python3-torch. Do not commit the output (≈ 400 MB for ResNet-38).
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn


class Basic(nn.Module):
    """B(in, mid, out, stride, first_dilation, dilation): pre-activation basic block."""

    def __init__(self, cin, mid, cout, stride=1, first_dilation=None, dilation=1):
        super().__init__()
        fd = dilation if first_dilation is None else first_dilation
        self.bn_branch2a = nn.BatchNorm2d(cin)
        self.conv_branch2a = nn.Conv2d(cin, mid, 3, stride, fd, fd, bias=False)
        self.bn_branch2b1 = nn.BatchNorm2d(mid)
        self.conv_branch2b1 = nn.Conv2d(mid, cout, 3, 1, dilation, dilation, bias=False)
        if cin != cout or stride != 1:
            self.conv_branch1 = nn.Conv2d(cin, cout, 1, stride, bias=False)


class Bottleneck(nn.Module):
    """Bb(in, out, dilation): pre-activation bottleneck block with a projection shortcut."""

    def __init__(self, cin, cout, dilation):
        super().__init__()
        self.bn_branch2a = nn.BatchNorm2d(cin)
        self.conv_branch2a = nn.Conv2d(cin, cout // 4, 1, bias=False)
        self.bn_branch2b1 = nn.BatchNorm2d(cout // 4)
        self.conv_branch2b1 = nn.Conv2d(cout // 4, cout // 2, 3, 1, dilation, dilation, bias=False)
        self.bn_branch2b2 = nn.BatchNorm2d(cout // 2)
        self.conv_branch2b2 = nn.Conv2d(cout // 2, cout, 1, bias=False)
        self.conv_branch1 = nn.Conv2d(cin, cout, 1, bias=False)


class ResNet38(nn.Module):
    """REFERENCE.md §Backbones, wider ResNet-38 A1; taps 512 (b5 in), 1024 (b6 in), 4096 (out)."""
    out_channels, taps = 4096, (512, 1024, 4096)

    def __init__(self):
        super().__init__()
        self.conv1a = nn.Conv2d(3, 64, 3, padding=1, bias=False)
        self.b2 = Basic(64, 128, 128, 2)
        self.b2_1 = Basic(128, 128, 128)
        self.b2_2 = Basic(128, 128, 128)
        self.b3 = Basic(128, 256, 256, 2)
        self.b3_1 = Basic(256, 256, 256)
        self.b3_2 = Basic(256, 256, 256)
        self.b4 = Basic(256, 512, 512, 2)
        for k in range(1, 6):
            setattr(self, "b4_%d" % k, Basic(512, 512, 512))
        self.b5 = Basic(512, 512, 1024, 1, 1, 2)
        self.b5_1 = Basic(1024, 512, 1024, dilation=2)
        self.b5_2 = Basic(1024, 512, 1024, dilation=2)
        self.b6 = Bottleneck(1024, 2048, 4)
        self.b7 = Bottleneck(2048, 4096, 4)
        self.bn7 = nn.BatchNorm2d(4096)


class Vgg16d(nn.Module):
    """REFERENCE.md §Backbones, VGG16-d (DeepLab-LargeFOV); taps conv4_3 512, conv5_3 512, fc7 1024."""
    out_channels, taps = 1024, (512, 512, 1024)

    def __init__(self, fc6_dilation=1):
        super().__init__()
        widths = [(1, 2, 3, 64), (2, 2, 64, 128), (3, 3, 128, 256), (4, 3, 256, 512), (5, 3, 512, 512)]
        for stage, n, cin, cout in widths:
            for i in range(1, n + 1):
                d = 2 if stage == 5 else 1
                setattr(self, "conv%d_%d" % (stage, i), nn.Conv2d(cin if i == 1 else cout, cout, 3, padding=d,
                                                                    dilation=d))
        self.fc6 = nn.Conv2d(512, 1024, 3, padding=fc6_dilation, dilation=fc6_dilation)
        self.fc7 = nn.Conv2d(1024, 1024, 1)


def classifier(backbone):
    """Backbone + fc8: 1×1 conv to the 20 VOC foreground classes, no bias (REFERENCE.md §Stage 1)."""
    backbone.fc8 = nn.Conv2d(backbone.out_channels, 20, 1, bias=False)
    return backbone


def affinity(backbone, group_norm):
    """Backbone + AffinityNet head (REFERENCE.md §Stage 3): f8_3/4/5 1×1 convs to 64/128/256 without
    bias (VGG16: each followed by GroupNorm with 8 channels per group), f9 448→448 without bias."""
    for name, cin, cout in zip(["f8_3", "f8_4", "f8_5"], backbone.taps, [64, 128, 256]):
        setattr(backbone, name, nn.Conv2d(cin, cout, 1, bias=False))
    if group_norm:
        for name, c in zip(["gn8_3", "gn8_4", "gn8_5"], [64, 128, 256]):
            setattr(backbone, name, nn.GroupNorm(c // 8, c))
    backbone.f9 = nn.Conv2d(448, 448, 1, bias=False)
    return backbone


def randomise(model, gen):
    """Values drawn from `gen`: convs He-normal (std sqrt(2 / fan_in), so activations stay O(1) through
    ResNet-38, as the comparison scripts need), conv biases small, batch-norm statistics and
    GroupNorm / batch-norm affines near their defaults but not constant."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight.shape[1] * m.weight.shape[2] * m.weight.shape[3]
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (2.0 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(0.01 * torch.randn(m.bias.shape, generator=gen))
            if isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                m.weight.copy_(1 + 0.1 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=gen))
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=gen))
                m.running_var.copy_(1 + torch.rand(m.running_var.shape, generator=gen))
    return model


def check_keys(expected_json, models):
    files = json.load(open(expected_json))["files"]
    for fixture, name in [("resnet38_cls_allkeys.pth", "res38_cls"), ("resnet38_aff_allkeys_legacy.pth", "res38_aff")]:
        want = list(files[fixture]["tensors"])
        got = list(models[name].state_dict())
        assert set(got) == set(want), "%s: keys differ from %s: only here %s, only there %s" % (
            name, fixture, sorted(set(got) - set(want))[:5], sorted(set(want) - set(got))[:5])
        print("%s: the %d keys of %s (authors' state_dict)%s" % (
            name, len(want), fixture, "" if got == want else ", in another order"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--legacy", action="store_true", help="pre-1.6 format (_use_new_zipfile_serialization=False)")
    p.add_argument("--seed", type=int, default=2018)
    p.add_argument("--check-keys", metavar="EXPECTED_JSON")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    models = {
        "res38_cls": classifier(ResNet38()),
        "res38_aff": affinity(ResNet38(), group_norm=False),
        "vgg16_cls": classifier(Vgg16d(fc6_dilation=1)),
        "vgg16_aff": affinity(Vgg16d(fc6_dilation=4), group_norm=True),
    }
    if a.check_keys:
        check_keys(a.check_keys, models)
    os.makedirs(a.out_dir, exist_ok=True)
    kw = {"_use_new_zipfile_serialization": False} if a.legacy else {}
    for name, model in models.items():
        path = os.path.join(a.out_dir, name + ".pth")
        t0 = time.perf_counter()
        torch.save(randomise(model, gen).state_dict(), path, **kw)
        print("%s: %d tensors, %.0f MiB, %s, saved in %.1f s" % (
            path, len(model.state_dict()), os.path.getsize(path) / (1 << 20), "legacy" if a.legacy else "zip",
            time.perf_counter() - t0))


if __name__ == "__main__":
    main()
