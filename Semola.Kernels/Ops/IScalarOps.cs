using System.Numerics;

namespace Semola.Kernels.Ops;

/// <summary>
/// A one-input scalar operation as a struct, so a generic kernel (the CPU loop or a GPU kernel) is
/// specialised and inlined per operation. Parameters live in the struct's fields.
/// </summary>
public interface IUnaryScalarOp
{
    /// <summary>Applies the op to one element.</summary>
    float Apply(float x);
}

/// <summary>A one-input op that also has a SIMD form for the CPU backend.</summary>
public interface IUnaryVectorOp : IUnaryScalarOp
{
    /// <summary>Applies the op to one SIMD vector.</summary>
    Vector<float> Apply(Vector<float> x);
}

/// <summary>A two-input scalar operation as a struct (see <see cref="IUnaryScalarOp"/>).</summary>
public interface IBinaryScalarOp
{
    /// <summary>Applies the op to one pair of elements.</summary>
    float Apply(float a, float b);
}

/// <summary>A two-input op that also has a SIMD form for the CPU backend.</summary>
public interface IBinaryVectorOp : IBinaryScalarOp
{
    /// <summary>Applies the op to one pair of SIMD vectors.</summary>
    Vector<float> Apply(Vector<float> a, Vector<float> b);
}
