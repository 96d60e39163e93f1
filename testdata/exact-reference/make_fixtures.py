#!/usr/bin/env python3
"""Fixtures for psa's exact-reference mode (cam.resize = pil-bicubic, rw.pairs = reference): PyTorch
computing CAMs the way the authors' infer_cls.py does and the random walk the way their infer_aff.py
does, with psa's `tiny` backbone written out in PyTorch and weights drawn here (numpy, fixed seed) and
handed to psa as .npz in psa's parameter names and layouts. Run with Debian's python3-torch and
python3-pil:

    /usr/bin/python3 make_fixtures.py [OUT_DIR]

Writes (uint8 / float32 / int64 .npy, see SOURCE.md):
  cls.npz, aff.npz          classifier (tiny backbone + fc8) and AffinityNet (tiny + f8_3/4/5 + f9)
  <id>_image.npy            uint8 [H, W, 3]
  <id>_classes.npy          int64 [C], present foreground classes (1..4)
  <id>_cams.npy             float32 [C, H, W], the authors' CAMs (ReLU)
  <id>_cams_sqrt.npy        float32 [C, H, W], the same with sqrt(ReLU) (the VGG16-d variant)
  <id>_aff.npy              float32 [34, P], W = exp(-mean|f_from - f_to|) on the authors' pairs,
                            indexed like their AffinityNet.forward (offset, from-cell)
  <id>_rw.npy               uint8 [H, W], the authors' random-walk labels (alpha 16, beta 8, logt 8)
                            computed from <id>_cams.npy
"""
import os
import sys

import numpy as np
import PIL
import torch
import torch.nn.functional as F
from PIL import Image

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
STEM, CONV, CH = 8, 16, 32          # backbone.tiny.stem-channels / conv-channels / channels
K1 = 4                              # foreground classes
HEAD = (8, 8, 16)                   # aff.head-channels
RADIUS, ALPHA, BETA, LOGT = 5, 16, 8, 8
SCALES = (1.0, 0.5, 1.5, 2.0)       # infer_cls.py
MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)

rng = np.random.RandomState(2018)


def he(kh, kw, cin, cout, gain=1.0):
    """YXIO [kh, kw, in, out], He-normal."""
    return (rng.randn(kh, kw, cin, cout) * np.sqrt(2.0 / (kh * kw * cin)) * gain).astype(np.float32)


def bias(n):
    return (rng.randn(n) * 0.1).astype(np.float32)


def backbone_params():
    return {"stem1.weight": he(4, 4, 3, STEM), "stem1.bias": bias(STEM),
            "stem2.weight": he(2, 2, STEM, STEM), "stem2.bias": bias(STEM),
            "conv3.weight": he(3, 3, STEM, CONV), "conv3.bias": bias(CONV),
            "conv4.weight": he(1, 1, CONV, CH), "conv4.bias": bias(CH),
            "conv5.weight": he(1, 1, CH, CH), "conv5.bias": bias(CH)}


cls = backbone_params()
aff = backbone_params()
aff["f8_3.weight"] = he(1, 1, CONV, HEAD[0])
aff["f8_4.weight"] = he(1, 1, CH, HEAD[1])
aff["f8_5.weight"] = he(1, 1, CH, HEAD[2])
# f9 at 3x He scale: W spreads over 0-0.93 and the walk moves labels without flooding the image (at 1x
# W is 0.05-0.97 and one class takes almost every pixel)
aff["f9.weight"] = he(1, 1, sum(HEAD), sum(HEAD), gain=3.0)


def t(w):
    """YXIO numpy -> OIHW torch."""
    return torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))


def conv_same(x, w, b, stride):
    """ND4J's SAME mode: ceil(n / s) outputs, total padding split floor(half) before, the rest after."""
    k = w.shape[0]
    pads = []
    for n in (x.shape[3], x.shape[2]):
        out = -(-n // stride)
        total = max((out - 1) * stride + k - n, 0)
        pads += [total // 2, total - total // 2]
    return F.conv2d(F.pad(x, pads), t(w), torch.from_numpy(b), stride=stride)


def tiny(p, x):
    """psa's tiny backbone (TinyBackbone.java); returns the taps conv3, conv4, conv5 (ReLU'd)."""
    x = F.relu(conv_same(x, p["stem1.weight"], p["stem1.bias"], 4))
    x = F.relu(conv_same(x, p["stem2.weight"], p["stem2.bias"], 2))
    c3 = F.relu(F.conv2d(x, t(p["conv3.weight"]), torch.from_numpy(p["conv3.bias"]), padding=1))
    c4 = F.relu(F.conv2d(c3, t(p["conv4.weight"]), torch.from_numpy(p["conv4.bias"])))
    c5 = F.relu(F.conv2d(c4, t(p["conv5.weight"]), torch.from_numpy(p["conv5.bias"])))
    return c3, c4, c5


def normalize(img):
    """resnet38d.Normalize: float64 arithmetic, stored float32, HWC -> CHW."""
    arr = np.asarray(img)
    out = np.empty_like(arr, np.float32)
    for c in range(3):
        out[..., c] = (arr[..., c] / 255. - MEAN[c]) / STD[c]
    return np.transpose(out, (2, 0, 1))


def forward_cam(x, sqrt):
    cam = F.relu(F.conv2d(tiny(cls, x)[2], t(cls["fc8.weight"])))
    return torch.sqrt(cam) if sqrt else cam


def cams_authors(image, classes, sqrt):
    """infer_cls.py: VOC12ClsDatasetMSF (PIL BICUBIC at round(W*s) x round(H*s), image then its flip),
    forward_cam, F.upsample bilinear align_corners=False to the image size, times the label, flip back,
    np.sum over the 8 passes, / (max + 1e-5); the present classes."""
    img = Image.fromarray(image, "RGB")
    H, W = image.shape[:2]
    label = np.zeros(K1, np.float32)
    label[np.asarray(classes) - 1] = 1
    passes = []
    for s in SCALES:
        arr = normalize(img.resize((round(W * s), round(H * s)), resample=Image.BICUBIC))
        passes += [arr, np.flip(arr, -1).copy()]
    cam_list = []
    with torch.no_grad():
        for i, arr in enumerate(passes):
            cam = forward_cam(torch.from_numpy(arr)[None], sqrt)
            cam = F.interpolate(cam, (H, W), mode="bilinear", align_corners=False)[0]
            cam = cam.numpy() * label.reshape(K1, 1, 1)
            if i % 2 == 1:
                cam = np.flip(cam, axis=-1)
            cam_list.append(cam)
    sum_cam = np.sum(cam_list, axis=0)
    norm_cam = sum_cam / (np.max(sum_cam, (1, 2), keepdims=True) + 1e-5)
    return np.ascontiguousarray(norm_cam[np.asarray(classes) - 1]).astype(np.float32)


def get_indices_of_pairs(radius, size):
    """tool/pyutils.py, same arithmetic."""
    search_dist = [(0, x) for x in range(1, radius)]
    for y in range(1, radius):
        for x in range(-radius + 1, radius):
            if x * x + y * y < radius * radius:
                search_dist.append((y, x))
    r = radius - 1
    full = np.reshape(np.arange(0, size[0] * size[1], dtype=np.int64), (size[0], size[1]))
    ch, cw = size[0] - r, size[1] - 2 * r
    ind_from = np.reshape(full[:-r, r:-r], [-1])
    ind_to = np.concatenate([np.reshape(full[dy:dy + ch, r + dx:r + dx + cw], [-1]) for dy, dx in search_dist])
    return ind_from, ind_to


def walk_authors(image, classes, cams):
    """resnet38_aff.Net.forward(x, to_dense=True) and infer_aff.py, float32 as on their GPU."""
    H, W = image.shape[:2]
    x = torch.from_numpy(normalize(image))[None]
    ph, pw = -(-H // 8) * 8, -(-W // 8) * 8
    x = F.pad(x, (0, pw - W, 0, ph - H))
    h, w = ph // 8, pw // 8
    with torch.no_grad():
        c3, c4, c5 = tiny(aff, x)
        f = [F.elu(F.conv2d(tap, t(aff[n]))) for tap, n in zip((c3, c4, c5), ("f8_3.weight", "f8_4.weight", "f8_5.weight"))]
        x = F.elu(F.conv2d(torch.cat(f, 1), t(aff["f9.weight"])))
        ind_from, ind_to = get_indices_of_pairs(RADIUS, (h, w))
        ind_from, ind_to = torch.from_numpy(ind_from), torch.from_numpy(ind_to)
        x = x.view(x.size(0), x.size(1), -1)
        ff = torch.unsqueeze(torch.index_select(x, 2, ind_from), 2)
        ft = torch.index_select(x, 2, ind_to)
        ft = ft.view(ft.size(0), ft.size(1), -1, ff.size(3))
        a = torch.exp(-torch.mean(torch.abs(ft - ff), dim=1))
        pair_aff = a[0].numpy().copy()
        a = a.view(-1)
        ind_from_exp = torch.unsqueeze(ind_from, 0).expand(ft.size(2), -1).contiguous().view(-1)
        area = x.size(2)
        ids = torch.arange(0, area).long()
        indices = torch.cat([torch.stack([ind_from_exp, ind_to]), torch.stack([ids, ids]),
                             torch.stack([ind_to, ind_from_exp])], 1)
        aff_mat = torch.sparse_coo_tensor(indices, torch.cat([a, torch.ones([area]), a]), (area, area)).to_dense()
        aff_mat = torch.pow(aff_mat, BETA)
        trans_mat = aff_mat / torch.sum(aff_mat, dim=0, keepdim=True)
        for _ in range(LOGT):
            trans_mat = torch.matmul(trans_mat, trans_mat)
        cam_full = np.zeros((K1 + 1, H, W), np.float32)
        for k, c in enumerate(classes):
            cam_full[c] = cams[k]
        cam_full[0] = (1 - np.max(cam_full[1:], 0, keepdims=False)) ** ALPHA
        cam_full = np.pad(cam_full, ((0, 0), (0, ph - H), (0, pw - W)), mode="constant")
        cam_full = F.avg_pool2d(torch.from_numpy(cam_full), 8, 8)
        cam_rw = torch.matmul(cam_full.view(K1 + 1, -1), trans_mat).view(1, K1 + 1, h, w)
        cam_rw = F.interpolate(cam_rw, (ph, pw), mode="bilinear", align_corners=False)
        pred = torch.max(cam_rw, 1)[1]
        labels = np.uint8(pred[0].numpy())[:H, :W]
        initial = F.interpolate(cam_full.view(1, K1 + 1, h, w), (ph, pw), mode="bilinear",
                                align_corners=False).argmax(1)[0].numpy()[:H, :W]
    return pair_aff, labels, initial


PALETTE = {1: (200, 40, 40), 2: (40, 180, 60), 3: (50, 70, 210), 4: (230, 200, 40)}


def class_templates():
    """fc8 like a trained classifier's: least squares from the backbone's mean features on uniform
    patches (each class's colour -> its one-hot, some background colours -> 0), so each class responds
    to its colour."""
    colours = [PALETTE[c] for c in range(1, K1 + 1)] + [(60, 90, 140), (140, 150, 90), (100, 120, 115),
                                                      (60, 150, 140), (140, 90, 90)]
    targets = np.zeros((len(colours), K1))
    targets[np.arange(K1), np.arange(K1)] = 1
    feats = []
    with torch.no_grad():
        for colour in colours:
            patch = np.tile(np.asarray(colour, np.uint8), (32, 32, 1))
            feats.append(tiny(cls, torch.from_numpy(normalize(patch))[None])[2].mean((0, 2, 3)).numpy())
    w = np.linalg.lstsq(np.stack(feats).astype(np.float64), targets, rcond=None)[0]
    return w.astype(np.float32).reshape(1, 1, CH, K1)


def make_image(H, W, seed, classes):
    """A smooth background, one or two shapes of each present class's colour, mild noise: uint8 [H, W, 3]."""
    r = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float64)
    img = np.stack([60 + 80 * xx / W, 90 + 60 * yy / H, 140 - 50 * xx / W], -1)
    for c in classes:
        for _ in range(r.randint(1, 3)):
            cy, cx = r.uniform(0.2, 0.8) * H, r.uniform(0.2, 0.8) * W
            ry, rx = r.uniform(0.12, 0.25) * H, r.uniform(0.12, 0.25) * W
            inside = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 < 1
            img[inside] = np.asarray(PALETTE[c]) + r.uniform(-15, 15, 3)
    img += r.normal(0, 6, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


# sizes chosen so that Python's round differs from rounding half up (93 * 0.5 = 46.5 -> 46,
# 123 * 1.5 = 184.5 -> 184, 59 * 1.5 = 88.5 -> 88, 101 * 0.5 = 50.5 -> 50), and one multiple of 8
IMAGES = {"a": (93, 123, [1, 3]), "b": (59, 101, [2]), "c": (48, 72, [1, 2, 4])}

cls["fc8.weight"] = class_templates()
np.savez(os.path.join(OUT, "cls.npz"), **cls)
np.savez(os.path.join(OUT, "aff.npz"), **aff)
lines = ["# Pillow %s, torch %s, numpy %s" % (PIL.__version__, torch.__version__, np.__version__)]
for i, (name, (H, W, classes)) in enumerate(IMAGES.items()):
    image = make_image(H, W, 100 + i, classes)
    cams = cams_authors(image, classes, sqrt=False)
    cams_sqrt = cams_authors(image, classes, sqrt=True)
    pair_aff, labels, initial = walk_authors(image, classes, cams)
    np.save(os.path.join(OUT, name + "_image.npy"), image)
    np.save(os.path.join(OUT, name + "_classes.npy"), np.asarray(classes, np.int64))
    np.save(os.path.join(OUT, name + "_cams.npy"), cams)
    np.save(os.path.join(OUT, name + "_cams_sqrt.npy"), cams_sqrt)
    np.save(os.path.join(OUT, name + "_aff.npy"), pair_aff.astype(np.float32))
    np.save(os.path.join(OUT, name + "_rw.npy"), labels)
    counts = [np.bincount(m.ravel(), minlength=K1 + 1).tolist() for m in (labels, initial)]
    lines.append("%s %dx%d classes=%s W=[%.3f, %.3f] walk changed %.1f %% of the pixels, labels %s initial %s" % (
        name, W, H, classes, pair_aff.min(), pair_aff.max(), 100 * (labels != initial).mean(), counts[0], counts[1]))
with open(os.path.join(OUT, "cases.txt"), "w") as fh:
    fh.write("\n".join(lines) + "\n")
print("\n".join(lines))
