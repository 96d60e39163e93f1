#!/usr/bin/env python3
"""Writes full-size PyTorch checkpoints with the authors' key names (jiwoon-ahn/psa network/*.py),
saved by a real torch.save, to check `psa weights import` and the published-checkpoint presets on
files of the real size without downloading anything.

    /usr/bin/python3 psa-bench/bench/torch_checkpoints.py SHAPES.json OUT_DIR

SHAPES.json maps backbone -> {parameter: shape in psa's layout ([kh, kw, in, out] for convs)}, as
psa's BackboneStats lists them (BackboneShapes.java beside this script prints it); the key set is the
one TorchFixturesTest checks against the authors' state_dicts. Writes, as the authors publish them:
res38_cls.pth (backbone + fc8), res38_aff.pth (backbone + f8_3..5, f9), vgg16_cls.pth,
vgg16_aff.pth (+ GroupNorm gn8_3..5). Values are random (He-normal convs, identity batch norms),
deterministic by seed. Needs Debian's python3-torch.
"""
import json
import os
import sys

import torch

HEADS = {
    # feature channels of the classifier head and of the three affinity taps (REFERENCE.md §Backbones)
    "resnet38": {"fc8_in": 4096, "taps": [512, 1024, 4096]},
    "vgg16": {"fc8_in": 1024, "taps": [512, 512, 1024]},
}


def torch_shape(shape):
    return [shape[3], shape[2], shape[0], shape[1]] if len(shape) == 4 else shape


def backbone_state(shapes, gen):
    sd = {}
    for key, shape in shapes.items():
        s = torch_shape(shape)
        if key.endswith("running_var") or (key.endswith(".weight") and len(s) == 1):
            sd[key] = torch.ones(s)
        elif len(s) == 1:
            sd[key] = torch.zeros(s)
        else:
            fan_in = s[1] * s[2] * s[3]
            sd[key] = torch.randn(s, generator=gen) * (2.0 / fan_in) ** 0.5
        if key.endswith("running_var"):
            sd[key[: -len("running_var")] + "num_batches_tracked"] = torch.tensor(0, dtype=torch.int64)
    return sd


def conv(out_c, in_c, gen):
    return torch.randn([out_c, in_c, 1, 1], generator=gen) * (2.0 / in_c) ** 0.5


def main(shapes_file, out_dir):
    shapes = json.load(open(shapes_file))
    os.makedirs(out_dir, exist_ok=True)
    names = {"resnet38": "res38", "vgg16": "vgg16"}
    for net, heads in HEADS.items():
        gen = torch.Generator().manual_seed(2018)
        base = backbone_state(shapes[net], gen)
        cls = dict(base)
        cls["fc8.weight"] = conv(20, heads["fc8_in"], gen)
        torch.save(cls, os.path.join(out_dir, names[net] + "_cls.pth"))
        aff = dict(base)
        for name, in_c, out_c in zip(["f8_3", "f8_4", "f8_5"], heads["taps"], [64, 128, 256]):
            aff[name + ".weight"] = conv(out_c, in_c, gen)
            if net == "vgg16":
                aff["gn" + name[1:] + ".weight"] = torch.ones(out_c)
                aff["gn" + name[1:] + ".bias"] = torch.zeros(out_c)
        aff["f9.weight"] = conv(448, 448, gen)
        torch.save(aff, os.path.join(out_dir, names[net] + "_aff.pth"))
    for f in sorted(os.listdir(out_dir)):
        print(f, os.path.getsize(os.path.join(out_dir, f)) // (1 << 20), "MiB")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
