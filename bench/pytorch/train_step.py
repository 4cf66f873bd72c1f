"""PyTorch timings of the two training steps the Semola bench measures, on the CPU, batch 64:
the base CNN (forward, cross-entropy, backward, Adam) and one SEMoLA step (augmenter sample,
matrix exponential, affine grid sampling, the CNN on the original and augmented batch, the loss
terms, Adam on the model and augmenter, one discriminator step).

    python3 train_step.py [--mode base|semola|both] [--threads 2] [--repeats 15] [--json]
"""
import argparse

from common import median_seconds, report, setup  # first: pins the thread pools

import torch
import torch.nn as nn
import torch.nn.functional as F



def base_cnn(classes=10):
    """conv-bn-relu x5 (32, 32, pool, 64, 64, pool, 128), global average pooling, linear."""
    layers, c = [], 1
    for i, width in enumerate((32, 32, 64, 64, 128)):
        layers += [nn.Conv2d(c, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
        if i in (1, 3):
            layers.append(nn.MaxPool2d(2))
        c = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return nn.Sequential(*layers)


class Augmenter(nn.Module):
    """One learned affine generator (3x3, last row zero), a learned extent, expm and grid sampling."""

    def __init__(self, generators=1):
        super().__init__()
        self.raw = nn.Parameter(torch.randn(generators, 3, 3))
        self.extent = nn.Parameter(torch.zeros(generators))
        mask = torch.ones(3, 3)
        mask[2] = 0
        self.register_buffer("mask", mask)

    def basis(self):
        g = self.raw * self.mask
        return g / g.flatten(1).norm(dim=1).view(-1, 1, 1)

    def forward(self, images):
        basis = self.basis()
        extent = F.softplus(self.extent)
        coeff = (torch.rand(images.shape[0], basis.shape[0]) * 2 - 1) * extent
        group = torch.matrix_exp(torch.einsum("bk,kij->bij", coeff, basis))
        grid = F.affine_grid(group[:, :2], list(images.shape), align_corners=True)
        return F.grid_sample(images, grid, align_corners=True), basis, extent


def make_step(mode, batch):
    model, aug = base_cnn(), Augmenter()
    disc = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.LeakyReLU(0.2),
                         nn.Linear(256, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))
    params = list(model.parameters()) + (list(aug.parameters()) if mode == "semola" else [])
    opt = torch.optim.Adam(params, lr=1e-3)
    opt_disc = torch.optim.Adam(disc.parameters(), lr=2e-4, betas=(0.5, 0.999))
    images = torch.rand(batch, 1, 28, 28)
    labels = torch.arange(batch) % 10
    real, fake = torch.ones(batch, 1), torch.zeros(batch, 1)

    def base_step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(images), labels).backward()
        opt.step()

    def semola_step():
        opt.zero_grad(set_to_none=True)
        augmented, basis, extent = aug(images)
        logits = model(torch.cat([images, augmented]))
        orig, moved = logits[:batch], logits[batch:]
        gram = torch.einsum("iab,jab->ij", basis, basis)
        loss = (F.cross_entropy(orig, labels) + F.cross_entropy(moved, labels)
                + F.kl_div(F.log_softmax(moved, 1), F.log_softmax(orig, 1), log_target=True, reduction="batchmean")
                - 0.1 * extent.clamp(max=5).sum() + 0.01 * (gram.triu(1) ** 2).sum() + 0.001 * basis.abs().sum()
                + F.binary_cross_entropy_with_logits(disc(augmented), real))
        loss.backward()
        opt.step()
        opt_disc.zero_grad(set_to_none=True)
        d_loss = (F.binary_cross_entropy_with_logits(disc(images), real)
                  + F.binary_cross_entropy_with_logits(disc(augmented.detach()), fake))
        d_loss.backward()
        opt_disc.step()

    return base_step if mode == "base" else semola_step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="both", choices=["base", "semola", "both"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    setup(args.threads)
    figures, lines = {}, []
    modes = ["base", "semola"] if args.mode == "both" else [args.mode]
    for mode in modes:
        seconds = median_seconds(make_step(mode, args.batch), args.repeats, warmup_seconds=1.0)
        figures[f"{mode}_step_ms"] = seconds * 1e3
        figures[f"{mode}_images_per_second"] = args.batch / seconds
        lines.append(f"{mode} step, batch {args.batch}: {args.batch / seconds:.0f} images/s ({seconds * 1e3:.1f} ms)")
    report(figures, args.json, lines)


if __name__ == "__main__":
    main()
