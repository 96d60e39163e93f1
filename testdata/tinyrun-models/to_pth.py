import sys, numpy as np, torch
a = np.load(sys.argv[1]); sd = {}
for k in a.files:
    v = a[k]
    if v.ndim == 4 and k.startswith('gn'): v = v.reshape(-1)
    elif v.ndim == 4: v = v.transpose(3, 2, 0, 1)
    sd[k] = torch.from_numpy(np.ascontiguousarray(v))
torch.save(sd, sys.argv[2])
