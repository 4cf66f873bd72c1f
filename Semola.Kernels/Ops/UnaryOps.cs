using System.Numerics;
using System.Runtime.CompilerServices;

namespace Semola.Kernels.Ops;

#pragma warning disable CS1591 // The op structs are documented by the UnaryOp enum members they implement.

public struct IdentityOp : IUnaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => x;
}

public struct NegOp : IUnaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => -x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => -x;
}

public struct ExpOp : IUnaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => MathF.Exp(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => Vector.Exp(x);
}

public struct LogOp : IUnaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => MathF.Log(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => Vector.Log(x);
}

public struct SqrtOp : IUnaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => MathF.Sqrt(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => Vector.SquareRoot(x);
}

public struct AbsOp : IUnaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => MathF.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => Vector.Abs(x);
}

public struct SignOp : IUnaryScalarOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => x > 0f ? 1f : x < 0f ? -1f : 0f;
}

public struct ReluOp : IUnaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => x > 0f ? x : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => Vector.Max(x, Vector<float>.Zero);
}

public struct LeakyReluOp : IUnaryVectorOp
{
    public float Slope;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => x > 0f ? x : Slope * x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, x * Slope);
}

public struct SigmoidOp : IUnaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => 1f / (1f + MathF.Exp(-x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => Vector<float>.One / (Vector<float>.One + Vector.Exp(-x));
}

public struct TanhOp : IUnaryScalarOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => MathF.Tanh(x);
}

public struct SoftplusOp : IUnaryVectorOp
{
    // ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): never overflows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => Vector.Max(x, Vector<float>.Zero) + Vector.Log(Vector<float>.One + Vector.Exp(-Vector.Abs(x)));
}

public struct PowOp : IUnaryScalarOp
{
    public float Exponent;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => Exponent == 2f ? x * x : MathF.Pow(x, Exponent);
}

public struct ClampOp : IUnaryVectorOp
{
    public float Min;
    public float Max;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => MathF.Min(MathF.Max(x, Min), Max);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => Vector.Min(Vector.Max(x, new Vector<float>(Min)), new Vector<float>(Max));
}

public struct AddScalarOp : IUnaryVectorOp
{
    public float Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => x + Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => x + new Vector<float>(Value);
}

public struct MulScalarOp : IUnaryVectorOp
{
    public float Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => x * Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => x * Value;
}

public struct ScalarDivOp : IUnaryVectorOp
{
    public float Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => Value / x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => new Vector<float>(Value) / x;
}

public struct SquareOp : IUnaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x) => x * x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x) => x * x;
}
