#!/usr/bin/env python3
"""Writes the PyTorch checkpoint fixtures of WeightFilesTest without PyTorch.

torch.save(state_dict) pickles (protocol 2) an OrderedDict of tensors; each tensor pickles as
GLOBAL torch._utils._rebuild_tensor_v2 applied to (storage, storage_offset, size, stride,
requires_grad, backward_hooks), and each storage as a persistent id
('storage', torch.<Type>Storage, key, location, numel) whose bytes live elsewhere: in the zip
format as entry archive/data/<key>; in the legacy format after the pickles. This script builds
exactly those bytes with Python's own pickle module and stub classes registered under the
torch module names, so the output is byte-for-byte the structure torch.save writes.

Run: python3 make_fixtures.py   (writes tiny_state_dict.pth and tiny_state_dict_legacy.pth here)
"""
import collections
import io
import os
import pickle
import struct
import sys
import types
import zipfile

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils


def _rebuild_tensor_v2(*args):
    raise RuntimeError("stub: only pickled, never called")


_rebuild_tensor_v2.__module__ = "torch._utils"
_rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
torch_utils._rebuild_tensor_v2 = _rebuild_tensor_v2
for _name in ["FloatStorage", "DoubleStorage", "HalfStorage", "LongStorage"]:
    setattr(torch, _name, type(_name, (), {"__module__": "torch"}))

FORMATS = {"FloatStorage": "f", "DoubleStorage": "d", "HalfStorage": "e", "LongStorage": "q"}


class Storage:
    def __init__(self, key, type_name, values):
        self.key, self.type, self.values = key, getattr(torch, type_name), values

    def data(self):
        return struct.pack("<%d%s" % (len(self.values), FORMATS[self.type.__name__]), *self.values)


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2,
                (self.storage, self.offset, self.size, self.stride, False, collections.OrderedDict()))


def c_strides(size):
    out, acc = [], 1
    for s in reversed(size):
        out.insert(0, acc)
        acc *= s
    return out


def indices(size):
    if not size:
        yield ()
        return
    for i in range(size[0]):
        for rest in indices(size[1:]):
            yield (i,) + rest


def weight_value(t, idx):
    """Value of element idx = (o, i, y, x) of weight tensor number t (see README.md)."""
    o, i, y, x = idx
    return 10000 * t + 1000 * o + 100 * i + 10 * y + x


def contiguous(key, type_name, size, fn):
    values = [fn(idx) for idx in indices(size)]
    return Tensor(Storage(key, type_name, values), 0, size, c_strides(size))


def state_dict():
    sd = collections.OrderedDict()
    # stem1.weight: float32, contiguous, PyTorch layout [out, in, kh, kw] = [2, 3, 4, 4]
    sd["stem1.weight"] = contiguous("0", "FloatStorage", (2, 3, 4, 4), lambda idx: weight_value(1, idx))
    # stem1.bias and stem2.bias: two views of one float32 storage "1" = [0.5, 1.5, 2.5, 3.5]
    shared = Storage("1", "FloatStorage", [0.5, 1.5, 2.5, 3.5])
    sd["stem1.bias"] = Tensor(shared, 0, (2,), (1,))
    # stem2.weight [2, 2, 2, 2]: a non-contiguous view; the storage holds it in [i, o, y, x] order
    size = (2, 2, 2, 2)
    stored = [weight_value(2, (o, i, y, x)) for (i, o, y, x) in indices((2, 2, 2, 2))]
    sd["stem2.weight"] = Tensor(Storage("2", "FloatStorage", stored), 0, size, (4, 8, 2, 1))
    sd["stem2.bias"] = Tensor(shared, 2, (2,), (1,))
    # conv3.weight [3, 2, 3, 3]: float64 storage
    sd["conv3.weight"] = contiguous("3", "DoubleStorage", (3, 2, 3, 3), lambda idx: weight_value(3, idx))
    # conv3.bias [3]: float16 storage = [-1.25, 0.0, 2.75]
    sd["conv3.bias"] = Tensor(Storage("4", "HalfStorage", [-1.25, 0.0, 2.75]), 0, (3,), (1,))
    sd["conv4.weight"] = contiguous("5", "FloatStorage", (4, 3, 1, 1), lambda idx: weight_value(4, idx))
    sd["conv4.bias"] = Tensor(Storage("6", "FloatStorage", [4.0, 4.25, 4.5, 4.75]), 0, (4,), (1,))
    # conv5.weight [4, 4, 1, 1] and conv5.bias [4]: one storage "7", bias at offset 16
    s7 = Storage("7", "FloatStorage", [weight_value(5, idx) for idx in indices((4, 4, 1, 1))] + [5.0, 5.25, 5.5, 5.75])
    sd["conv5.weight"] = Tensor(s7, 0, (4, 4, 1, 1), (4, 1, 1, 1))
    sd["conv5.bias"] = Tensor(s7, 16, (4,), (1,))
    # a batch-norm step counter (0-d int64), which loaders skip
    sd["bn.num_batches_tracked"] = Tensor(Storage("8", "LongStorage", [7]), 0, (), ())
    # a classifier head [classes=5, 4, 1, 1]
    sd["fc8.weight"] = contiguous("9", "FloatStorage", (5, 4, 1, 1), lambda idx: weight_value(6, idx))
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("stem1", {"version": 1})])
    return sd


class ZipPickler(pickle.Pickler):
    def __init__(self, f, storages):
        super().__init__(f, protocol=2)
        self.storages = storages

    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            self.storages.setdefault(obj.key, obj)
            return ("storage", obj.type, obj.key, "cpu", len(obj.values))
        return None


class LegacyPickler(ZipPickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            self.storages.setdefault(obj.key, obj)
            return ("storage", obj.type, obj.key, "cpu", len(obj.values), None)
        return None


def write_zip(path):
    storages = {}
    buf = io.BytesIO()
    ZipPickler(buf, storages).dump(state_dict())
    def entry(name):  # fixed timestamps, so re-running gives identical bytes
        return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))

    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(entry("archive/data.pkl"), buf.getvalue())
        z.writestr(entry("archive/byteorder"), "little")
        for key, s in storages.items():
            z.writestr(entry("archive/data/" + key), s.data())
        z.writestr(entry("archive/version"), "3\n")


def write_legacy(path):
    storages = {}
    with open(path, "wb") as f:
        pickle.dump(0x1950A86A20F9469CFC6C, f, protocol=2)
        pickle.dump(1001, f, protocol=2)
        pickle.dump({"protocol_version": 1001, "little_endian": True,
                     "type_sizes": {"short": 2, "int": 4, "long": 4}}, f, protocol=2)
        LegacyPickler(f, storages).dump(state_dict())
        keys = sorted(storages)
        pickle.dump(keys, f, protocol=2)
        for key in keys:
            f.write(struct.pack("<q", len(storages[key].values)))
            f.write(storages[key].data())


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    write_zip(os.path.join(here, "tiny_state_dict.pth"))
    write_legacy(os.path.join(here, "tiny_state_dict_legacy.pth"))
