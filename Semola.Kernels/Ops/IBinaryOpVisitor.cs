namespace Semola.Kernels.Ops;

/// <summary>
/// Receives the op struct that <see cref="ElementwiseDispatch.Binary{TVisitor}"/> picks for a
/// <see cref="BinaryOp"/> (see <see cref="IUnaryOpVisitor"/>).
/// </summary>
public interface IBinaryOpVisitor
{
    /// <summary>Runs an op that also has a SIMD form.</summary>
    void Vector<TOp>(TOp op)
        where TOp : struct, IBinaryVectorOp;

    /// <summary>Runs an op that has only a scalar form.</summary>
    void Scalar<TOp>(TOp op)
        where TOp : struct, IBinaryScalarOp;
}
