"""PyTorch timings of the kernels the Semola bench measures, on the CPU:
square GEMM (256, 512, 1024), conv2d 64x32x28x28 32->32 3x3 (forward, backward),
10^5 batched 3x3 matrix exponentials (forward, forward+backward) and affine grid +
bilinear grid sampling of 64x1x28x28 (forward+backward).

    python3 kernels.py [--threads 2] [--repeats 7] [--json]
"""
import argparse
import statistics
import time

from common import median_seconds, report, setup  # first: pins the thread pools

import torch
import torch.nn.functional as F



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    setup(args.threads)
    figures, lines = {}, []

    with torch.no_grad():
        for n in (256, 512, 1024):
            a = torch.rand(n, n) * 2 - 1
            b = torch.rand(n, n) * 2 - 1
            t = median_seconds(lambda: torch.mm(a, b), args.repeats)
            figures[f"gemm_{n}_gflops"] = 2.0 * n ** 3 / t / 1e9
            lines.append(f"gemm {n}: {figures[f'gemm_{n}_gflops']:.1f} GFLOP/s")

    # Convolution without bias, like the base CNN's; forward and backward timed apart.
    x = (torch.rand(64, 32, 28, 28) * 2 - 1).requires_grad_()
    w = ((torch.rand(32, 32, 3, 3) * 2 - 1) * 0.1).requires_grad_()
    gy = torch.ones(64, 32, 28, 28)

    def conv_forward():
        with torch.no_grad():
            F.conv2d(x, w, padding=1)

    y_saved = {}

    def conv_backward():
        x.grad = None
        w.grad = None
        y_saved["y"].backward(gy)

    def conv_backward_timed():
        y_saved["y"] = F.conv2d(x, w, padding=1)
        t0 = time.perf_counter()
        conv_backward()
        return time.perf_counter() - t0

    forward = median_seconds(conv_forward, args.repeats)
    conv_backward_timed()
    backward = statistics.median(conv_backward_timed() for _ in range(args.repeats))
    figures["conv_forward_ms"] = forward * 1e3
    figures["conv_backward_ms"] = backward * 1e3
    figures["conv_total_ms"] = (forward + backward) * 1e3
    lines.append(f"conv2d 64x32x28x28 32->32 3x3: forward {forward * 1e3:.1f} ms, backward {backward * 1e3:.1f} ms")

    mats = torch.rand(100_000, 3, 3) * 2 - 1
    upstream = torch.rand(100_000, 3, 3) * 2 - 1

    def expm_forward():
        with torch.no_grad():
            torch.matrix_exp(mats)

    leaf = mats.clone().requires_grad_()

    def expm_forward_backward():
        leaf.grad = None
        torch.matrix_exp(leaf).backward(upstream)

    figures["matrix_exp_forward_ms"] = median_seconds(expm_forward, args.repeats) * 1e3
    figures["matrix_exp_forward_backward_ms"] = median_seconds(expm_forward_backward, args.repeats) * 1e3
    lines.append(f"matrix_exp 1e5 3x3: forward {figures['matrix_exp_forward_ms']:.1f} ms, "
                 f"forward+backward {figures['matrix_exp_forward_backward_ms']:.1f} ms")

    images = torch.rand(64, 1, 28, 28).requires_grad_()
    theta = (torch.rand(64, 2, 3) * 2 - 1).requires_grad_()
    gout = torch.rand(64, 1, 28, 28) * 2 - 1

    def grid_sample():
        images.grad = None
        theta.grad = None
        grid = F.affine_grid(theta, list(images.shape), align_corners=True)
        F.grid_sample(images, grid, align_corners=True).backward(gout)

    figures["grid_sample_ms"] = median_seconds(grid_sample, args.repeats * 5) * 1e3
    lines.append(f"affine grid + grid sample 64x1x28x28 forward+backward: {figures['grid_sample_ms']:.2f} ms")
    report(figures, args.json, lines)


if __name__ == "__main__":
    main()
