#!/usr/bin/env python3
"""PyTorch twin of `psa bench backbone` and `psa bench cam`: the same networks (REFERENCE.md's layer
tables: ResNet-38 "A1" at output stride 8, VGG16-d DeepLab-LargeFOV style), random weights, the same
inputs and passes, and the same output lines, so the ratio psa / PyTorch can be measured on any
machine. Written for this project from the layer tables (not the authors' code). Needs torch
(Debian: apt-get install python3-torch; run with /usr/bin/python3).

    torch_backbones.py backbone --backbone resnet38 [--size 448] [--batch 1] [--repeats 5] [--threads N]
    torch_backbones.py cam --backbone resnet38 [--size 500x375] [--repeats 3] [--threads N]

prints `backbone NAME size=S batch=B ms=MEDIAN` / `cam NAME size=WxH ms=MEDIAN peak_rss_mb=N`.
"""
import argparse
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    """B(in, mid, out, stride, first_dilation, dilation): pre-activation basic block."""

    def __init__(self, cin, mid, cout, stride=1, first_dilation=None, dilation=1):
        super().__init__()
        first_dilation = dilation if first_dilation is None else first_dilation
        self.same = cin == cout and stride == 1
        self.bn_branch2a = nn.BatchNorm2d(cin)
        self.conv_branch2a = nn.Conv2d(cin, mid, 3, stride, first_dilation, first_dilation, bias=False)
        self.bn_branch2b1 = nn.BatchNorm2d(mid)
        self.conv_branch2b1 = nn.Conv2d(mid, cout, 3, 1, dilation, dilation, bias=False)
        if not self.same:
            self.conv_branch1 = nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        b = F.relu(self.bn_branch2a(x))
        shortcut = x if self.same else self.conv_branch1(b)
        b = self.conv_branch2b1(F.relu(self.bn_branch2b1(self.conv_branch2a(b))))
        return shortcut + b


class Bottleneck(nn.Module):
    """Bb(in, out, dilation, dropout): pre-activation bottleneck block (dropout is off in eval)."""

    def __init__(self, cin, cout, dilation):
        super().__init__()
        self.bn_branch2a = nn.BatchNorm2d(cin)
        self.conv_branch1 = nn.Conv2d(cin, cout, 1, bias=False)
        self.conv_branch2a = nn.Conv2d(cin, cout // 4, 1, bias=False)
        self.bn_branch2b1 = nn.BatchNorm2d(cout // 4)
        self.conv_branch2b1 = nn.Conv2d(cout // 4, cout // 2, 3, 1, dilation, dilation, bias=False)
        self.bn_branch2b2 = nn.BatchNorm2d(cout // 2)
        self.conv_branch2b2 = nn.Conv2d(cout // 2, cout, 1, bias=False)

    def forward(self, x):
        b = F.relu(self.bn_branch2a(x))
        shortcut = self.conv_branch1(b)
        b = F.relu(self.bn_branch2b1(self.conv_branch2a(b)))
        b = F.relu(self.bn_branch2b2(self.conv_branch2b1(b)))
        return shortcut + self.conv_branch2b2(b)


class ResNet38(nn.Module):
    channels = 4096

    def __init__(self):
        super().__init__()
        self.conv1a = nn.Conv2d(3, 64, 3, padding=1, bias=False)
        layers = [Block(64, 128, 128, 2), Block(128, 128, 128), Block(128, 128, 128),
                  Block(128, 256, 256, 2), Block(256, 256, 256), Block(256, 256, 256),
                  Block(256, 512, 512, 2)] + [Block(512, 512, 512) for _ in range(5)] + \
                 [Block(512, 512, 1024, 1, 1, 2), Block(1024, 512, 1024, dilation=2),
                  Block(1024, 512, 1024, dilation=2), Bottleneck(1024, 2048, 4), Bottleneck(2048, 4096, 4)]
        self.blocks = nn.Sequential(*layers)
        self.bn7 = nn.BatchNorm2d(4096)

    def forward(self, x):
        return F.relu(self.bn7(self.blocks(self.conv1a(x))))


class Vgg16d(nn.Module):
    channels = 1024

    def __init__(self):
        super().__init__()
        cfg = [(3, 64), (64, 64), "p2", (64, 128), (128, 128), "p2", (128, 256), (256, 256), (256, 256), "p2",
               (256, 512), (512, 512), (512, 512), "p1"]
        layers = []
        for c in cfg:
            if c == "p2":
                layers.append(nn.MaxPool2d(3, 2, 1))
            elif c == "p1":
                layers.append(nn.MaxPool2d(3, 1, 1))
            else:
                layers += [nn.Conv2d(c[0], c[1], 3, padding=1), nn.ReLU()]
        for _ in range(3):  # conv5_x, dilation 2
            layers += [nn.Conv2d(512, 512, 3, padding=2, dilation=2), nn.ReLU()]
        layers += [nn.Conv2d(512, 1024, 3, padding=1), nn.ReLU(), nn.Conv2d(1024, 1024, 1), nn.ReLU()]
        self.features = nn.Sequential(*layers)

    def forward(self, x):
        return self.features(x)


class Classifier(nn.Module):
    """Backbone + the 1×1 fc8 to 20 classes; CAM = ReLU (sqrt(ReLU) for VGG16) of its scores."""

    def __init__(self, name):
        super().__init__()
        self.backbone = ResNet38() if name == "resnet38" else Vgg16d()
        self.fc8 = nn.Conv2d(self.backbone.channels, 20, 1, bias=False)
        self.sqrt = name == "vgg16"

    def forward(self, x):
        cam = F.relu(self.fc8(self.backbone(x)))
        return torch.sqrt(cam) if self.sqrt else cam


def sync(args):
    if args.device == "cuda":
        torch.cuda.synchronize()


def gpu_suffix(args):
    """On a GPU the peak device memory is the number that matters; the host RSS is PyTorch's own."""
    if args.device != "cuda":
        return ""
    return " device=cuda peak_gpu_mb=%d" % (torch.cuda.max_memory_allocated() // (1024 * 1024))


def millis(args, ms):
    """Whole milliseconds like psa's lines; a tenth more on a GPU, where a pass takes a few."""
    return "%.1f" % ms if args.device == "cuda" else "%.0f" % ms


def backbone(args):
    net = Classifier(args.backbone).eval().to(args.device)
    x = (torch.rand(args.batch, 3, args.size, args.size) - 0.5).to(args.device)
    with torch.no_grad():
        net(x)
        sync(args)
        ms = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            net(x)
            sync(args)
            ms.append((time.perf_counter() - t0) * 1000)
    print("backbone %s size=%d batch=%d ms=%s%s" % (args.backbone, args.size, args.batch,
                                                  millis(args, statistics.median(ms)), gpu_suffix(args)))


def cam(args):
    w, h = (int(v) for v in args.size.split("x"))
    dev = args.device
    net = Classifier(args.backbone).eval().to(dev)
    image = (torch.rand(1, 3, h, w) * 255).to(dev)
    mean = (torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1) * 255).to(dev)
    std = (torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1) * 255).to(dev)

    def one():
        total = torch.zeros(20, h, w, device=dev)
        for s in (1.0, 0.5, 1.5, 2.0):
            size = (max(1, round(h * s)), max(1, round(w * s)))
            x = (F.interpolate(image, size, mode="bilinear", align_corners=False) - mean) / std
            x = torch.cat([x, x.flip(-1)], 0)  # the flipped copy as the batch's second image
            c = F.interpolate(net(x), (h, w), mode="bilinear", align_corners=False)
            total += c[0] + c[1].flip(-1)
        keep = total[[0, 14]]
        return (keep / (keep.amax(dim=(1, 2), keepdim=True) + 1e-5)).cpu()

    with torch.no_grad():
        one()
        ms = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            one()  # .cpu() at its end waits for the device
            ms.append((time.perf_counter() - t0) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print("cam %s size=%s ms=%s peak_rss_mb=%d%s" % (args.backbone, args.size, millis(args, statistics.median(ms)),
                                                    rss, gpu_suffix(args)))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["backbone", "cam"])
    p.add_argument("--backbone", required=True, choices=["resnet38", "vgg16"])
    p.add_argument("--size", default=None)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--repeats", type=int, default=None)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                   help="cuda: time on the GPU (synchronised), and print peak_gpu_mb")
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    if a.what == "backbone":
        a.size = int(a.size or 448)
        a.repeats = a.repeats or 5
        backbone(a)
    else:
        a.size = a.size or "500x375"
        a.repeats = a.repeats or 3
        cam(a)
