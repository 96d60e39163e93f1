#!/usr/bin/env python3
"""Reference check of psa's CAMs against PyTorch computing them the authors' way (infer_cls.py as
described in REFERENCE.md): the same trained classifier (.pth with the authors' key names), each
scale made with PIL's bicubic resize of the 8-bit image at Python-rounded sizes, normalised, run with
its horizontal flip, ReLU (sqrt(ReLU) for VGG16) of the 1x1 fc8 scores upsampled bilinearly
(align_corners=False), summed over the 8 passes, the present classes divided by max + 1e-5.
Compare with a psa run made with `cam.resize=pil-bicubic`:

    /usr/bin/python3 psa-bench/bench/compare_cams.py --backbone vgg16 --weights vgg16_cls.pth \
        --voc VOCdevkit/VOC2012 --ids ID[,ID...] --cams RUN/cam

prints one line per image, `ID classes=[..] max_abs_diff=D`, and the maximum over all.
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_backbones import Classifier, Vgg16d  # noqa: E402

RESNET_BLOCKS = ["b2", "b2_1", "b2_2", "b3", "b3_1", "b3_2", "b4", "b4_1", "b4_2", "b4_3", "b4_4", "b4_5",
                 "b5", "b5_1", "b5_2", "b6", "b7"]
VGG_CONVS = ["conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3", "conv4_1", "conv4_2",
             "conv4_3", "conv5_1", "conv5_2", "conv5_3", "fc6", "fc7"]


def module_keys(name, net):
    """The authors' key -> this script's module key."""
    out = {"fc8.weight": "fc8.weight"}
    if name == "resnet38":
        for k in net.state_dict():
            parts = k.split(".")
            if parts[1] == "blocks":
                out[RESNET_BLOCKS[int(parts[2])] + "." + ".".join(parts[3:])] = k
            elif parts[0] == "backbone":
                out[".".join(parts[1:])] = k
    else:
        convs = [i for i, m in enumerate(net.backbone.features) if isinstance(m, torch.nn.Conv2d)]
        for n, i in zip(VGG_CONVS, convs):
            out[n + ".weight"] = "backbone.features.%d.weight" % i
            out[n + ".bias"] = "backbone.features.%d.bias" % i
    return out


def normalise(name, rgb):
    x = torch.from_numpy(rgb.astype(np.float32)).permute(2, 0, 1)
    if name == "vgg16":  # Caffe: BGR, mean subtracted, no scaling
        x = x[[2, 1, 0]] - torch.tensor([104.008, 116.669, 122.675]).view(3, 1, 1)
    else:
        x = (x / 255 - torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)) / torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
    return x.unsqueeze(0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--backbone", required=True, choices=["resnet38", "vgg16"])
    p.add_argument("--weights", required=True)
    p.add_argument("--voc", required=True)
    p.add_argument("--ids", required=True)
    p.add_argument("--cams", required=True)
    p.add_argument("--scales", default="1.0,0.5,1.5,2.0")
    a = p.parse_args()
    net = Classifier(a.backbone).eval()
    sd = torch.load(a.weights)
    sd = {k[len("module."):] if k.startswith("module.") else k: v for k, v in sd.items()}
    keys = module_keys(a.backbone, net)
    net.load_state_dict({keys[k]: v for k, v in sd.items() if k in keys}, strict=False)
    missing = set(net.state_dict()) - {keys[k] for k in sd if k in keys}
    missing = {k for k in missing if not k.endswith("num_batches_tracked")}
    assert not missing, "not loaded: %s" % sorted(missing)[:5]
    worst = 0.0
    for i in a.ids.split(","):
        img = Image.open(os.path.join(a.voc, "JPEGImages", i + ".png")).convert("RGB")
        mask = np.array(Image.open(os.path.join(a.voc, "SegmentationClass", i + ".png")))
        classes = [c for c in np.unique(mask) if 0 < c < 255]
        w, h = img.size
        total = torch.zeros(20, h, w, dtype=torch.float64)
        with torch.no_grad():
            for s in (float(v) for v in a.scales.split(",")):
                x = normalise(a.backbone, np.asarray(img.resize((round(w * s), round(h * s)), Image.BICUBIC)))
                x = torch.cat([x, x.flip(-1)], 0)
                c = F.interpolate(net(x), (h, w), mode="bilinear", align_corners=False).double()
                total += c[0] + c[1].flip(-1)
        ref = total[[c - 1 for c in classes]]
        ref = ref / (ref.amax(dim=(1, 2), keepdim=True) + 1e-5)
        got = np.load(os.path.join(a.cams, i + ".npz"))
        assert list(got["keys"]) == classes, (list(got["keys"]), classes)
        d = float(np.abs(got["cams"].astype(np.float64) - ref.numpy()).max())
        worst = max(worst, d)
        print("%s classes=%s max_abs_diff=%.2e" % (i, classes, d))
    print("max_abs_diff=%.2e" % worst)


if __name__ == "__main__":
    main()
