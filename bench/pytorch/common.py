"""Helpers shared by the PyTorch reference scripts: thread set-up and median timing."""
import json
import statistics
import time

import torch


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
