using Semola.Autodiff;

namespace Semola.Core.Lie;

/// <summary>
/// Group elements drawn by a <see cref="LieAugmenter"/>: g = exp(A) and g^-1 = exp(-A) for
/// A = sum_i e_i Lhat_i, one per row of <see cref="Coefficients"/>.
/// </summary>
/// <param name="G">The group elements, [count, n, n] (differentiable w.r.t. the augmenter).</param>
/// <param name="Inverse">Their inverses, [count, n, n].</param>
/// <param name="Coefficients">The coefficients e, [count, k].</param>
public sealed record GroupSample(Tensor G, Tensor Inverse, Tensor Coefficients);
