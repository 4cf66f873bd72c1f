namespace Semola.Kernels.Ops;

/// <summary>
/// Receives the op struct that <see cref="ElementwiseDispatch.Unary{TVisitor}"/> picks for a
/// <see cref="UnaryOp"/>: a backend implements it (as a struct holding the call's arguments) to run its
/// kernel specialised for that op.
/// </summary>
public interface IUnaryOpVisitor
{
    /// <summary>Runs an op that also has a SIMD form.</summary>
    void Vector<TOp>(TOp op)
        where TOp : struct, IUnaryVectorOp;

    /// <summary>Runs an op that has only a scalar form.</summary>
    void Scalar<TOp>(TOp op)
        where TOp : struct, IUnaryScalarOp;
}
