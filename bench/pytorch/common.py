"""Helpers shared by the PyTorch reference scripts: thread set-up and median timing.

Importing this module before torch pins the BLAS and OpenMP thread pools to the --threads value
on the command line (default 2): OpenBLAS's own pool does not follow torch.set_num_threads.
"""
import json
import os
import statistics
import sys
import time


def _threads_from_argv(default=2):
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--threads" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return str(default)


for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ[_var] = _threads_from_argv()

import torch  # noqa: E402  (after the thread pools are pinned)


def setup(threads):
    """Use a fixed number of intra-op threads and a fixed seed."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)


def median_seconds(fn, repeats, warmup_seconds=0.5):
    """Run fn for at least warmup_seconds (and at least twice), then time it `repeats` times; return the median."""
    start = time.perf_counter()
    runs = 0
    while runs < 2 or time.perf_counter() - start < warmup_seconds:
        fn()
        runs += 1
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(figures, as_json, lines):
    """Print either one JSON object (for the bench's --compare) or readable lines."""
    if as_json:
        figures["torch"] = torch.__version__
        figures["threads"] = torch.get_num_threads()
        print(json.dumps(figures))
    else:
        for line in lines:
            print(line)
