namespace Semola.Autodiff.Nn;

/// <summary>
/// A multilayer perceptron: Linear layers between consecutive <c>sizes</c>, each but the last
/// followed by a fresh activation from the factory (ReLU by default). Layers are named by position.
/// </summary>
public sealed class Mlp : Sequential
{
    /// <summary>Builds the network, e.g. sizes [2, 8, 1] gives Linear(2, 8), activation, Linear(8, 1).</summary>
    public Mlp(int[] sizes, Random rng, Func<Module>? activation = null)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(rng);
        if (sizes.Length < 2)
        {
            throw new ArgumentException($"Mlp needs at least an input and an output size, got [{string.Join(", ", sizes)}].");
        }
        activation ??= () => new ReLU();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            Add(new Linear(sizes[i], sizes[i + 1], rng));
            if (i + 2 < sizes.Length)
            {
                Add(activation());
            }
        }
        Sizes = (int[])sizes.Clone();
    }

    /// <summary>The layer widths, input first.</summary>
    public IReadOnlyList<int> Sizes { get; }
}
