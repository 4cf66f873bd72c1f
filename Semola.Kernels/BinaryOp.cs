namespace Semola.Kernels;

/// <summary>
/// Elementwise two-input operations, including the fused derivative kernels that backward passes use
/// (a = the forward input or output, b = the incoming gradient).
/// </summary>
public enum BinaryOp
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a - b.</summary>
    Sub,
    /// <summary>a * b.</summary>
    Mul,
    /// <summary>a / b.</summary>
    Div,
    /// <summary>min(a, b).</summary>
    Min,
    /// <summary>max(a, b).</summary>
    Max,
    /// <summary>1 if a &gt; b else 0.</summary>
    Greater,
    /// <summary>1 if a &gt;= b else 0.</summary>
    GreaterEqual,
    /// <summary>b if a &gt; 0 else 0 (ReLU backward from x).</summary>
    ReluBackward,
    /// <summary>b if a &gt; 0 else p0 * b (leaky ReLU backward from x).</summary>
    LeakyReluBackward,
    /// <summary>b * a * (1 - a) (sigmoid backward from y).</summary>
    SigmoidBackward,
    /// <summary>b * (1 - a * a) (tanh backward from y).</summary>
    TanhBackward,
    /// <summary>b * sigmoid(a) (softplus backward from x).</summary>
    SoftplusBackward,
    /// <summary>b * sign(a) (abs backward from x).</summary>
    AbsBackward,
    /// <summary>b * 0.5 / a (sqrt backward from y).</summary>
    SqrtBackward,
    /// <summary>b * p0 * a ^ (p0 - 1) (pow backward from x).</summary>
    PowBackward,
    /// <summary>b if p0 &lt;= a &lt;= p1 else 0 (clamp backward from x).</summary>
    ClampBackward,
}
