"""The weights file the Scorer reads, in the safetensors layout: an 8-byte little-endian header length, a JSON
header naming each tensor's dtype, shape and byte range (and string metadata under "__metadata__"), then the
raw little-endian tensor bytes. The format is simple enough to write without the safetensors package (which
Debian does not ship); `Scorer/Models/Accurate/SentimentWeightsFile.cs` reads it."""

import json
import struct

import numpy as np

DTYPES = {np.dtype(np.float16): "F16", np.dtype(np.float32): "F32", np.dtype(np.int64): "I64"}
NUMPY = {v: k for k, v in DTYPES.items()}


def write(path, tensors, metadata):
    """tensors: name -> numpy array (float16, float32 or int64); metadata: name -> str."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name])
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": DTYPES[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def read(path):
    """(tensors, metadata) of a file written by `write`."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype=NUMPY[entry["dtype"]]).reshape(entry["shape"])
    return tensors, metadata
