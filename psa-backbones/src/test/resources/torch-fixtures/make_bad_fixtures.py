#!/usr/bin/env python3
"""Writes whole_module.pth: a tiny network saved with torch.save(model) instead of
torch.save(model.state_dict()), a common mistake. Its pickle names the module classes
(torch.nn.modules.container.Sequential, ...) and torch._utils._rebuild_parameter, which psa's
allow-listed unpickler must refuse, naming the file and the global.

    /usr/bin/python3 make_bad_fixtures.py [OUT_DIR]     (default: the folder of this script)
"""
import os
import sys

import torch

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 1, bias=False))
torch.save(model, os.path.join(OUT, "whole_module.pth"))
print("wrote", os.path.join(OUT, "whole_module.pth"), "with torch", torch.__version__)
