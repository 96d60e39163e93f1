#!/usr/bin/env python3
"""Writes the fixtures psa added to the shared ones (see README.md, "Added here"):

- whole_module.pth: a tiny network saved with torch.save(model) instead of
  torch.save(model.state_dict()), a common mistake. Its pickle names the module classes
  (torch.nn.modules.container.Sequential, ...) and torch._utils._rebuild_parameter, which psa's
  allow-listed unpickler must refuse, naming the file and the global.
- dtypes.pth (zip) and dtypes_legacy.pth: one small tensor of every storage type psa reads, with
  values v[i] = i - 2 (bool: i odd), contiguous, plus a strided int64 view.

    /usr/bin/python3 make_extra_fixtures.py [OUT_DIR]     (default: the folder of this script)
"""
import collections
import os
import sys

import torch

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 1, bias=False))
torch.save(model, os.path.join(OUT, "whole_module.pth"))

d = collections.OrderedDict()
for name, dtype, shape in [("f32", torch.float32, [2, 3]), ("f64", torch.float64, [5]), ("f16", torch.float16, [5]),
                           ("bf16", torch.bfloat16, [5]), ("i64", torch.int64, [2, 2]), ("i32", torch.int32, [5]),
                           ("i16", torch.int16, [5]), ("i8", torch.int8, [5]), ("u8", torch.uint8, [5])]:
    n = 1
    for s in shape:
        n *= s
    v = torch.arange(n, dtype=torch.int64) - 2
    if dtype == torch.uint8:
        v = v + 2
    d[name] = v.to(dtype).reshape(shape)
d["bool"] = torch.arange(5) % 2 == 1
d["i64_strided"] = (torch.arange(6, dtype=torch.int64) - 2).reshape(2, 3).t()  # [3, 2], strides [1, 3]
torch.save(d, os.path.join(OUT, "dtypes.pth"))
torch.save(d, os.path.join(OUT, "dtypes_legacy.pth"), _use_new_zipfile_serialization=False)
print("wrote whole_module.pth, dtypes.pth, dtypes_legacy.pth to", OUT, "with torch", torch.__version__)
