namespace Semola.Autodiff.Nn;

/// <summary>
/// Inverted dropout in training mode (each element zeroed with probability <see cref="P"/>, the rest
/// scaled by 1 / (1 - p)), the identity in evaluation mode. Masks come from a seeded generator.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Random _rng;

    /// <summary>Creates the layer with its own generator seeded by <paramref name="seed"/>.</summary>
    public Dropout(float p, int seed)
        : this(p, new Random(seed))
    {
    }

    /// <summary>Creates the layer drawing masks from <paramref name="rng"/>.</summary>
    public Dropout(float p, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        }
        P = p;
        _rng = rng;
    }

    /// <summary>The drop probability.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return IsTraining ? input.Dropout(P, _rng) : input;
    }

    /// <inheritdoc />
    public override string ToString() => $"Dropout({P})";
}
