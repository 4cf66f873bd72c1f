namespace Semola.Autodiff;

/// <summary>The gradients that <see cref="Tensor.Backward"/> computed, one per leaf tensor that requires a gradient.</summary>
public sealed class Gradients
{
    private readonly Dictionary<Tensor, Tensor> _grads;

    internal Gradients(Dictionary<Tensor, Tensor> grads) => _grads = grads;

    /// <summary>Number of tensors with a gradient.</summary>
    public int Count => _grads.Count;

    /// <summary>The gradient of <paramref name="tensor"/>; throws if it received none.</summary>
    public Tensor this[Tensor tensor] => _grads.TryGetValue(tensor, out var g)
        ? g
        : throw new KeyNotFoundException($"No gradient for tensor {tensor.ShapeString}: it does not require a gradient or the loss does not depend on it.");

    /// <summary>The gradient of <paramref name="tensor"/>, or null if it received none.</summary>
    public Tensor? Get(Tensor tensor) => _grads.GetValueOrDefault(tensor);

    /// <summary>True when <paramref name="tensor"/> received a gradient.</summary>
    public bool Contains(Tensor tensor) => _grads.ContainsKey(tensor);

    /// <summary>Replaces the gradient of <paramref name="tensor"/> (used by gradient clipping).</summary>
    internal void Set(Tensor tensor, Tensor gradient) => _grads[tensor] = gradient;

    /// <summary>The tensors that received a gradient, with their gradients.</summary>
    public IEnumerable<KeyValuePair<Tensor, Tensor>> Entries => _grads;
}
