using Semola.Autodiff;

namespace Semola.Core.Actions;

/// <summary>rho(g) = I: for invariant targets (class labels, energies).</summary>
public sealed class TrivialAction : IGroupAction
{
    /// <inheritdoc />
    public string Name => "trivial";

    /// <inheritdoc />
    public Tensor Apply(Tensor g, Tensor x) => x;
}
