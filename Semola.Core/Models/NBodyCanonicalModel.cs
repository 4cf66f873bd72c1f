using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Kernels;

namespace Semola.Core.Models;

/// <summary>
/// An exactly SO(2)-equivariant N-body predictor by canonicalisation: with phi the angle of body 1's
/// position at the last input step, every (x, y) pair of the input is rotated by -phi, an unconstrained
/// network predicts in that frame, and every pair of the output is rotated back by +phi. Rotating the
/// input by theta shifts phi by theta, so f(R x) = R f(x) for every rotation R (up to rounding).
/// The angle is computed from the data, so gradients reach only the inner network.
/// </summary>
public sealed class NBodyCanonicalModel : Module
{
    private readonly Module _inner;
    private readonly VectorAction _action = new();

    /// <summary>Wraps <paramref name="inner"/>, which maps [B, inputSteps * stateSize] to [B, T_out * stateSize].</summary>
    public NBodyCanonicalModel(Module inner, int inputSteps, int stateSize)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSteps, 1);
        if (stateSize < 4 || stateSize % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stateSize), stateSize, "The state size must be a positive multiple of 4.");
        }
        _inner = RegisterModule("inner", inner);
        InputSteps = inputSteps;
        StateSize = stateSize;
    }

    /// <summary>States in an input.</summary>
    public int InputSteps { get; }

    /// <summary>Values per state.</summary>
    public int StateSize { get; }

    /// <summary>Rotations [B, n, n] that rotate every (x, y) pair by the given angles (radians).</summary>
    public static Tensor BlockRotations(IReadOnlyList<double> angles, int n, Device device)
    {
        ArgumentNullException.ThrowIfNull(angles);
        var g = new float[angles.Count * n * n];
        for (int b = 0; b < angles.Count; b++)
        {
            float c = (float)Math.Cos(angles[b]), s = (float)Math.Sin(angles[b]);
            int o = b * n * n;
            for (int k = 0; k < n; k += 2)
            {
                g[o + k * n + k] = c;
                g[o + k * n + k + 1] = -s;
                g[o + (k + 1) * n + k] = s;
                g[o + (k + 1) * n + k + 1] = c;
            }
        }
        return Tensor.FromArray(g, [angles.Count, n, n], device);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int b = input.Shape[0];
        if (input.Numel != b * InputSteps * StateSize)
        {
            throw new ArgumentException($"NBodyCanonicalModel: input {input.ShapeString} is not [B, {InputSteps * StateSize}].");
        }
        var flat = input.Reshape(b, InputSteps * StateSize);
        float[] host = flat.Detach().ToArray();
        var phi = new double[b];
        var minus = new double[b];
        int last = (InputSteps - 1) * StateSize;
        for (int i = 0; i < b; i++)
        {
            int o = i * InputSteps * StateSize + last;
            phi[i] = Math.Atan2(host[o + 1], host[o]);
            minus[i] = -phi[i];
        }
        var toCanonical = BlockRotations(minus, StateSize, input.Device);
        var back = BlockRotations(phi, StateSize, input.Device);
        var canonical = _action.Apply(toCanonical, flat);
        return _action.Apply(back, _inner.Forward(canonical));
    }
}
