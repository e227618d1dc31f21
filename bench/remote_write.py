"""Prometheus remote-write 1.0 requests, encoded with the standard library only.

A request is a protobuf `prometheus.WriteRequest` (repeated TimeSeries{labels, samples}),
compressed with snappy's block format. Snappy allows a block made of literal elements
only, which every decoder accepts; it does not compress, which does not matter on
127.0.0.1 and keeps this module free of a C dependency. Labels are encoded once per
series; a sample is a fixed 18-byte field whose timestamp part is shared by every series
written at that time.
"""

from __future__ import annotations

import struct
import urllib.request
from collections.abc import Iterable, Sequence

_DOUBLE = struct.Struct("<d")


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field (wire type 2)."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def encode_labels(labels: dict[str, str]) -> bytes:
    """TimeSeries.labels (field 1) for a label set, sorted by name as Prometheus expects."""
    return b"".join(
        _field(1, _field(1, name.encode()) + _field(2, value.encode())) for name, value in sorted(labels.items())
    )


def sample_suffix(timestamp_ms: int) -> bytes:
    """The timestamp part of Sample (field 2, varint), shared by all series at that time."""
    return b"\x10" + varint(timestamp_ms)


def encode_series(labels: bytes, values: Sequence[float], suffixes: Sequence[bytes]) -> bytes:
    """One WriteRequest.timeseries field: the labels, then one Sample per (value, suffix)."""
    samples = b"".join(
        b"\x12" + bytes((9 + len(suffix),)) + b"\x09" + _DOUBLE.pack(value) + suffix
        for value, suffix in zip(values, suffixes, strict=True)
    )
    body = labels + samples
    return b"\x0a" + varint(len(body)) + body


def snappy_literal_block(data: bytes) -> bytes:
    """Snappy block format: varint(uncompressed length), then literal elements."""
    out = [varint(len(data))]
    for start in range(0, len(data), 1 << 16):
        chunk = data[start:start + (1 << 16)]
        n = len(chunk) - 1
        if n < 60:
            out.append(bytes((n << 2,)))
        else:  # tag 62: the length - 1 follows in 3 bytes, little-endian (chunks are <= 64 KiB)
            out.append(bytes((62 << 2,)) + n.to_bytes(3, "little"))
        out.append(chunk)
    return b"".join(out)


def post(url: str, encoded_series: Iterable[bytes], timeout: float = 120) -> None:
    body = snappy_literal_block(b"".join(encoded_series))
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-protobuf",
        "Content-Encoding": "snappy",
        "X-Prometheus-Remote-Write-Version": "0.1.0",
    })
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
