#!/usr/bin/env python3
"""Reference check of psa's random walk against PyTorch computing it the authors' way (infer_aff.py as
REFERENCE.md §Stages 3-4 describe it) with the same trained ResNet-38 AffinityNet (.pth, authors' key
names) and the same CAMs (psa's cam/<id>.npz): features from the BN+ReLU'd inputs of b5 and b6 and
the final output, f8_3/4/5 + ELU, concat, f9 + ELU; W_ij = exp(-mean_c |f_i - f_j|) on the authors'
pair set (get_indices_of_pairs, radius 5), A = W^beta symmetric with A_ii = 1, T = A / column sums,
T^(2^logt) by dense squarings, scores (1 - max)^alpha background + CAMs average-pooled 8x8 after
padding, walked, upsampled bilinearly to the padded size, cropped, argmax. Compare with a psa run made
with `rw.pairs=reference` (and `cam.resize=pil-bicubic`):

    /usr/bin/python3 psa-bench/bench/compare_walk.py --weights res38_aff.pth --voc VOCdevkit/VOC2012 \
        --ids ID[,ID...] --run RUN [--alpha 16 --beta 8 --logt 8]

prints `ID agree=FRACTION` per image and the pixel agreement over all images.
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_backbones import ResNet38  # noqa: E402
from compare_cams import RESNET_BLOCKS, normalise  # noqa: E402


def features(net, heads, x):
    """f of the AffinityNet: taps = BN+ReLU'd input of b5 (blocks[12]) and of b6 (blocks[15]), final output."""
    x = net.conv1a(x)
    taps = []
    for i, b in enumerate(net.blocks):
        if i in (12, 15):
            taps.append(F.relu(b.bn_branch2a(x)))
        x = b(x)
    taps.append(F.relu(net.bn7(x)))
    f = [F.elu(F.conv2d(t, heads[n])) for t, n in zip(taps, ["f8_3", "f8_4", "f8_5"])]
    return F.elu(F.conv2d(torch.cat(f, 1), heads["f9"]))


def pairs(radius, h, w):
    search = [(0, x) for x in range(1, radius)] + [(y, x) for y in range(1, radius)
                                                    for x in range(-radius + 1, radius) if x * x + y * y < radius * radius]
    r = radius - 1
    full = np.arange(h * w).reshape(h, w)
    ch, cw = h - r, w - 2 * r
    src = full[:-r, r:-r].reshape(-1) if r > 0 else full.reshape(-1)
    frm, to = [], []
    for dy, dx in search:
        frm.append(src)
        to.append(full[dy:dy + ch, r + dx:r + dx + cw].reshape(-1))
    return np.concatenate(frm), np.concatenate(to)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", required=True)
    p.add_argument("--voc", required=True)
    p.add_argument("--ids", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--alpha", type=float, default=16)
    p.add_argument("--beta", type=float, default=8)
    p.add_argument("--logt", type=int, default=8)
    a = p.parse_args()
    net = ResNet38().eval()
    sd = torch.load(a.weights)
    mapped = {}
    for k, v in sd.items():
        parts = k.split(".")
        if parts[0] in RESNET_BLOCKS:
            mapped["blocks.%d.%s" % (RESNET_BLOCKS.index(parts[0]), ".".join(parts[1:]))] = v
        elif not parts[0].startswith("f"):
            mapped[k] = v
    net.load_state_dict(mapped, strict=True)
    heads = {n: sd[n + ".weight"].double().float() for n in ["f8_3", "f8_4", "f8_5", "f9"]}
    same = total = 0
    for i in a.ids.split(","):
        img = np.asarray(Image.open(os.path.join(a.voc, "JPEGImages", i + ".png")).convert("RGB"))
        H, W = img.shape[:2]
        h, w = (H + 7) // 8, (W + 7) // 8
        x = F.pad(normalise("resnet38", img), (0, w * 8 - W, 0, h * 8 - H))
        with torch.no_grad():
            f = features(net, heads, x)[0].reshape(448, -1).double()
        frm, to = pairs(5, h, w)
        aff = torch.exp(-torch.mean(torch.abs(f[:, frm] - f[:, to]), 0)) ** a.beta
        A = torch.eye(h * w, dtype=torch.float64)
        A[frm, to] = aff
        A[to, frm] = aff
        T = A / A.sum(0, keepdim=True)
        for _ in range(a.logt):
            T = T @ T
        cam = np.load(os.path.join(a.run, "cam", i + ".npz"))
        cams = torch.from_numpy(cam["cams"].astype(np.float64))
        bg = (1 - cams.max(0, keepdim=True).values).clamp(min=0) ** a.alpha
        scores = torch.cat([bg, cams], 0)
        scores = F.pad(scores, (0, w * 8 - W, 0, h * 8 - H))
        scores = F.avg_pool2d(scores.unsqueeze(0), 8, 8)[0].reshape(scores.shape[0], -1)
        walked = (scores @ T).reshape(-1, h, w)
        up = F.interpolate(walked.unsqueeze(0), (h * 8, w * 8), mode="bilinear", align_corners=False)[0, :, :H, :W]
        keys = np.array([0] + list(cam["keys"]))
        ref = keys[up.argmax(0).numpy()]
        got = np.array(Image.open(os.path.join(a.run, "rw", i + ".png")))
        n = (ref == got).sum()
        same += n
        total += ref.size
        print("%s agree=%.5f" % (i, n / ref.size))
    print("agree=%.5f" % (same / total))


if __name__ == "__main__":
    main()
