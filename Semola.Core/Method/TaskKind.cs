namespace Semola.Core.Method;

/// <summary>What the base model predicts.</summary>
public enum TaskKind
{
    /// <summary>Class logits with integer labels; invariant targets (rho_Y(g) = I); d is the KL divergence.</summary>
    Classification,

    /// <summary>Real vectors; d is the squared error; targets transform with the output action.</summary>
    Regression,
}
