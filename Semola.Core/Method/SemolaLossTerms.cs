using Semola.Autodiff;

namespace Semola.Core.Method;

/// <summary>The terms of one evaluation of the SEMoLA objective (tensors, so the total can be backpropagated).</summary>
public sealed record SemolaLossTerms(
    Tensor Total,
    Tensor TaskOriginal,
    Tensor TaskAugmented,
    Tensor Equivariance,
    Tensor Distribution,
    Tensor ExtentReward,
    Tensor Orthogonality,
    Tensor Sparsity,
    Tensor AugmentedInputs,
    Tensor? AugmentedTargets,
    Tensor ProbeInputs,
    Tensor? ProbeTargets)
{
    /// <summary>The scalar terms as tensors (not read back), in the order of <see cref="Values"/>.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors() => new Dictionary<string, Tensor>
    {
        ["total"] = Total,
        ["task"] = TaskOriginal,
        ["task_aug"] = TaskAugmented,
        ["eq"] = Equivariance,
        ["dist"] = Distribution,
        ["ext"] = ExtentReward,
        ["orth"] = Orthogonality,
        ["sparsity"] = Sparsity,
    };

    /// <summary>The scalar values, for logs.</summary>
    public IReadOnlyDictionary<string, float> Values() => new Dictionary<string, float>
    {
        ["total"] = Total.Item(),
        ["task"] = TaskOriginal.Item(),
        ["task_aug"] = TaskAugmented.Item(),
        ["eq"] = Equivariance.Item(),
        ["dist"] = Distribution.Item(),
        ["ext"] = ExtentReward.Item(),
        ["orth"] = Orthogonality.Item(),
        ["sparsity"] = Sparsity.Item(),
    };
}
