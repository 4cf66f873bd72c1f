using Semola.Autodiff;

namespace Semola.Core.Actions;

/// <summary>
/// How a batch of group elements g [B, n, n] acts on a batch of data x [B, ...] (one element per
/// sample). Implementations are differentiable w.r.t. both g and x.
/// </summary>
public interface IGroupAction
{
    /// <summary>A short name for logs and results.</summary>
    string Name { get; }

    /// <summary>rho(g) x for each sample.</summary>
    Tensor Apply(Tensor g, Tensor x);
}
