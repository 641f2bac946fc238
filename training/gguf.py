"""Minimal GGUF v3 writer and reader (little-endian), with F32, F16 and Q8_0 tensors.

Layout as llama.cpp's gguf-py writes it: magic "GGUF", uint32 version 3, uint64 tensor count, uint64 KV
count, the KV pairs (key string, uint32 value type, value), the tensor infos (name, uint32 n_dims, uint64
dims innermost first, uint32 ggml type, uint64 offset into the data section), zero padding to
general.alignment (32), then each tensor's data padded to 32 bytes. Strings are uint64 length + UTF-8.
Q8_0 blocks hold 32 values: fp16 scale d = max|x| / 127, then 32 int8 q = round-half-away(x / d).
"""
import struct

import numpy as np

MAGIC = b"GGUF"
VERSION = 3
ALIGNMENT = 32
UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)
F32, F16, Q8_0 = 0, 1, 8
TYPE_NAMES = {F32: "F32", F16: "F16", Q8_0: "Q8_0"}
FILE_TYPES = {F32: 0, F16: 1, Q8_0: 7}  # llama_ftype: ALL_F32, MOSTLY_F16, MOSTLY_Q8_0
_SCALAR = {UINT8: "<B", INT8: "<b", UINT16: "<H", INT16: "<h", UINT32: "<I", INT32: "<i", FLOAT32: "<f",
           BOOL: "<?", UINT64: "<Q", INT64: "<q", FLOAT64: "<d"}
QK8_0 = 32


def quantize_q8_0(x):
    """float32 array whose last dim is a multiple of 32 -> uint8 bytes of Q8_0 blocks (as ggml)."""
    blocks = x.astype(np.float32).reshape(-1, QK8_0)
    d = np.abs(blocks).max(axis=1, keepdims=True) / 127
    inv = np.where(d == 0, 0, 1 / np.where(d == 0, 1, d)).astype(np.float32)
    v = blocks * inv
    a = np.abs(v)
    q = np.sign(v) * (np.floor(a) + np.floor(2 * (a - np.floor(a))))  # round half away from zero
    out = np.concatenate([d.astype(np.float16).view(np.uint8), q.astype(np.int8).view(np.uint8)], axis=1)
    return out.reshape(-1)


def dequantize_q8_0(raw, shape):
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 2 + QK8_0)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    q = blocks[:, 2:].copy().view(np.int8).astype(np.float32)
    return (q * d).reshape(shape)


def _str(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def _value(vtype, v):
    if vtype == STRING:
        return _str(v)
    if vtype == ARRAY:
        etype, items = v
        body = b"".join(_value(etype, i) for i in items)
        return struct.pack("<IQ", etype, len(items)) + body
    return struct.pack(_SCALAR[vtype], v)


def _pad(n):
    return (ALIGNMENT - n % ALIGNMENT) % ALIGNMENT


def write(path, kv, tensors):
    """kv: list of (key, vtype, value) (arrays: value = (element type, list)); tensors: list of
    (name, numpy float32 array in PyTorch order, ggml type). Writes the file and returns its size."""
    blobs = []
    for name, arr, gtype in tensors:
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        if gtype == F32:
            data = arr.tobytes()
        elif gtype == F16:
            data = arr.astype(np.float16).tobytes()
        elif gtype == Q8_0:
            data = quantize_q8_0(arr).tobytes()
        else:
            raise ValueError(f"unsupported tensor type {gtype}")
        blobs.append((name, arr.shape, gtype, data))
    head = MAGIC + struct.pack("<IQQ", VERSION, len(blobs), len(kv))
    head += b"".join(_str(k) + struct.pack("<I", t) + _value(t, v) for k, t, v in kv)
    offset = 0
    for name, shape, gtype, data in blobs:
        dims = list(reversed(shape))
        head += _str(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        head += struct.pack("<IQ", gtype, offset)
        offset += len(data) + _pad(len(data))
    with open(path, "wb") as f:
        f.write(head + b"\0" * _pad(len(head)))
        for _, _, _, data in blobs:
            f.write(data + b"\0" * _pad(len(data)))
        return f.tell()


class Reader:
    """Reads a GGUF file: .kv {key: value} (arrays as lists), .types {key: vtype},
    .tensors {name: (shape in PyTorch order, ggml type, offset)}; tensor(name) -> float32 array."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.buf = f.read()
        self.pos = 0
        if self.buf[:4] != MAGIC:
            raise ValueError(f"{path}: not a GGUF file")
        self.pos = 4
        version, n_tensors, n_kv = self._unpack("<IQQ")
        if version != VERSION:
            raise ValueError(f"{path}: GGUF version {version}, expected {VERSION}")
        self.kv, self.types = {}, {}
        for _ in range(n_kv):
            key = self._read_str()
            (vtype,) = self._unpack("<I")
            self.types[key] = vtype
            self.kv[key] = self._read_value(vtype)
        self.tensors = {}
        for _ in range(n_tensors):
            name = self._read_str()
            (n_dims,) = self._unpack("<I")
            dims = [self._unpack("<Q")[0] for _ in range(n_dims)]
            gtype, off = self._unpack("<IQ")
            self.tensors[name] = (tuple(reversed(dims)), gtype, off)
        align = self.kv.get("general.alignment", ALIGNMENT)
        self.data_start = self.pos + (align - self.pos % align) % align

    def _unpack(self, fmt):
        vals = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return vals

    def _read_str(self):
        (n,) = self._unpack("<Q")
        s = self.buf[self.pos:self.pos + n].decode("utf-8")
        self.pos += n
        return s

    def _read_value(self, vtype):
        if vtype == STRING:
            return self._read_str()
        if vtype == ARRAY:
            etype, n = self._unpack("<IQ")
            return [self._read_value(etype) for _ in range(n)]
        return self._unpack(_SCALAR[vtype])[0]

    def tensor(self, name):
        shape, gtype, off = self.tensors[name]
        n = int(np.prod(shape))
        start = self.data_start + off
        if gtype == F32:
            return np.frombuffer(self.buf, np.float32, n, start).reshape(shape).copy()
        if gtype == F16:
            return np.frombuffer(self.buf, np.float16, n, start).astype(np.float32).reshape(shape)
        if gtype == Q8_0:
            return dequantize_q8_0(self.buf[start:start + n // QK8_0 * (2 + QK8_0)], shape)
        raise ValueError(f"unsupported tensor type {gtype} for {name}")
