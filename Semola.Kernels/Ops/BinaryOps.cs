using System.Numerics;
using System.Runtime.CompilerServices;

namespace Semola.Kernels.Ops;

#pragma warning disable CS1591 // The op structs are documented by the BinaryOp enum members they implement.

public struct AddOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> a, Vector<float> b) => a + b;
}

public struct SubOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> a, Vector<float> b) => a - b;
}

public struct MulOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> a, Vector<float> b) => a * b;
}

public struct DivOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> a, Vector<float> b) => a / b;
}

public struct MinOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float a, float b) => MathF.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> a, Vector<float> b) => Vector.Min(a, b);
}

public struct MaxOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float a, float b) => MathF.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> a, Vector<float> b) => Vector.Max(a, b);
}

public struct GreaterOp : IBinaryScalarOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float a, float b) => a > b ? 1f : 0f;
}

public struct GreaterEqualOp : IBinaryScalarOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float a, float b) => a >= b ? 1f : 0f;
}

public struct ReluBackwardOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x, float dy) => x > 0f ? dy : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x, Vector<float> dy) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), dy, Vector<float>.Zero);
}

public struct LeakyReluBackwardOp : IBinaryVectorOp
{
    public float Slope;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x, float dy) => x > 0f ? dy : Slope * dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x, Vector<float> dy) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), dy, dy * Slope);
}

public struct SigmoidBackwardOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float y, float dy) => dy * y * (1f - y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> y, Vector<float> dy) => dy * y * (Vector<float>.One - y);
}

public struct TanhBackwardOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float y, float dy) => dy * (1f - y * y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> y, Vector<float> dy) => dy * (Vector<float>.One - y * y);
}

public struct SoftplusBackwardOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x, float dy) => dy / (1f + MathF.Exp(-x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> x, Vector<float> dy) => dy / (Vector<float>.One + Vector.Exp(-x));
}

public struct AbsBackwardOp : IBinaryScalarOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x, float dy) => x > 0f ? dy : x < 0f ? -dy : 0f;
}

public struct SqrtBackwardOp : IBinaryVectorOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float y, float dy) => 0.5f * dy / y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector<float> Apply(Vector<float> y, Vector<float> dy) => dy * 0.5f / y;
}

public struct PowBackwardOp : IBinaryScalarOp
{
    public float Exponent;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x, float dy) => Exponent == 2f ? 2f * x * dy : dy * Exponent * MathF.Pow(x, Exponent - 1f);
}

public struct ClampBackwardOp : IBinaryScalarOp
{
    public float Min;
    public float Max;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly float Apply(float x, float dy) => x >= Min && x <= Max ? dy : 0f;
}
