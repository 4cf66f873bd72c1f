namespace Semola.Kernels;

/// <summary>
/// Elementwise one-input operations. Parameters p0/p1 are passed beside the op where it needs them.
/// </summary>
public enum UnaryOp
{
    /// <summary>y = x (a copy).</summary>
    Identity,
    /// <summary>y = -x.</summary>
    Neg,
    /// <summary>y = exp(x).</summary>
    Exp,
    /// <summary>y = ln(x).</summary>
    Log,
    /// <summary>y = sqrt(x).</summary>
    Sqrt,
    /// <summary>y = |x|.</summary>
    Abs,
    /// <summary>y = sign(x) in {-1, 0, 1}.</summary>
    Sign,
    /// <summary>y = max(x, 0).</summary>
    Relu,
    /// <summary>y = x if x &gt; 0 else p0 * x.</summary>
    LeakyRelu,
    /// <summary>y = 1 / (1 + exp(-x)).</summary>
    Sigmoid,
    /// <summary>y = tanh(x).</summary>
    Tanh,
    /// <summary>y = ln(1 + exp(x)), computed stably.</summary>
    Softplus,
    /// <summary>y = x ^ p0.</summary>
    Pow,
    /// <summary>y = min(max(x, p0), p1).</summary>
    Clamp,
    /// <summary>y = x + p0.</summary>
    AddScalar,
    /// <summary>y = x * p0.</summary>
    MulScalar,
    /// <summary>y = p0 / x.</summary>
    ScalarDiv,
    /// <summary>y = x * x.</summary>
    Square,
}
