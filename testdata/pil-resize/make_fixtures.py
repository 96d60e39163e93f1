#!/usr/bin/env python3
"""Writes PIL bicubic resize fixtures: small uint8 RGB images and Image.resize(..., BICUBIC) of each
at several sizes, as .npy (uint8, [H, W, 3]). Run with Debian's python3-pil:
    /usr/bin/python3 make_fixtures.py [OUT_DIR]
"""
import os
import sys

import numpy as np
import PIL
from PIL import Image

out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(20180618)
images = {
    # noise: every coefficient matters; gradient + edges: smooth areas and overshoot clamping
    "noise_23x37": rng.randint(0, 256, size=(23, 37, 3)).astype(np.uint8),
    "edges_30x41": np.zeros((30, 41, 3), np.uint8),
}
e = images["edges_30x41"]
e[:, :, 0] = np.linspace(0, 255, 41)[None, :].astype(np.uint8)
e[8:20, 10:25, 1] = 255
e[::3, :, 2] = 250
sizes = {"noise_23x37": [(37, 23), (18, 11), (56, 35), (74, 46), (13, 30), (9, 5), (38, 24), (18, 12), (56, 34)],
         "edges_30x41": [(41, 30), (62, 45), (20, 15), (31, 22), (82, 60), (7, 9)]}
lines = []
for name, arr in images.items():
    np.save(os.path.join(out, name + ".npy"), arr)
    for w, h in sizes[name]:
        r = np.asarray(Image.fromarray(arr, "RGB").resize((w, h), Image.BICUBIC))
        f = "%s_to_%dx%d.npy" % (name, w, h)
        np.save(os.path.join(out, f), r)
        lines.append(f)
with open(os.path.join(out, "cases.txt"), "w") as fh:
    fh.write("# Pillow %s, numpy %s\n" % (PIL.__version__, np.__version__))
    fh.write("\n".join(lines) + "\n")
print("\n".join(lines))
