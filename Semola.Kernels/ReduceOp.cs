namespace Semola.Kernels;

/// <summary>Reductions along one axis.</summary>
public enum ReduceOp
{
    /// <summary>Sum of the elements.</summary>
    Sum,
    /// <summary>Largest element.</summary>
    Max,
    /// <summary>Smallest element.</summary>
    Min,
    /// <summary>Index (as a float) of the first largest element.</summary>
    ArgMax,
}
