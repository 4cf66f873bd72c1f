using ILGPU;
using Semola.Kernels.Ops;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// Elementwise kernels. The scalar op structs of <see cref="Ops"/> are generic struct arguments, so the
/// one definition that drives the CPU loops is compiled into each GPU kernel (ILGPU maps the MathF calls
/// inside them to device math).
/// </summary>
internal static class ElementwiseKernels
{
    public static void Fill(Index1D i, ArrayView<float> y, int offset, float value) => y[offset + i] = value;

    public static void Copy(Index1D i, IterationSpace space, ArrayView<float> src, int srcOffset, ArrayView<float> dst, int dstOffset)
    {
        space.Offsets(i, out int a, out int b);
        dst[dstOffset + b] = src[srcOffset + a];
    }

    public static void Unary<TOp>(Index1D i, TOp op, IterationSpace space, ArrayView<float> x, int xOffset, ArrayView<float> y)
        where TOp : struct, IUnaryScalarOp
    {
        space.Offsets(i, out int a, out _);
        y[i] = op.Apply(x[xOffset + a]);
    }

    public static void Binary<TOp>(Index1D i, TOp op, IterationSpace space, ArrayView<float> a, int aOffset, ArrayView<float> b, int bOffset, ArrayView<float> y)
        where TOp : struct, IBinaryScalarOp
    {
        space.Offsets(i, out int oa, out int ob);
        y[i] = op.Apply(a[aOffset + oa], b[bOffset + ob]);
    }

    /// <summary>y[i] = op(x[i]) over a contiguous range (used after softmax and by the fused steps).</summary>
    public static void UnaryContiguous<TOp>(Index1D i, TOp op, ArrayView<float> x, ArrayView<float> y)
        where TOp : struct, IUnaryScalarOp
        => y[i] = op.Apply(x[i]);
}
