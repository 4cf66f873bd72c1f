using Semola.Autodiff;
using static Semola.Tests.Autodiff.GradCheck;

namespace Semola.Tests.Autodiff;

public class GradientCheckTests
{
    // ---- binary with broadcasting ---------------------------------------------------------

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 3, 4 }, new int[0])]
    public void AddSubMulDivBroadcast(int[] sa, int[] sb)
    {
        var a = Rand(1, sa);
        var b = Rand(2, sb, 0.5f, 2f);
        Check(t => t[0].Add(t[1]), [a, b]);
        Check(t => t[0].Sub(t[1]), [a, b]);
        Check(t => t[0].Mul(t[1]), [a, b]);
        Check(t => t[0].Div(t[1]), [a, b]);
    }

    [Fact]
    public void MinimumMaximum()
    {
        var a = Distinct(1, [3, 4]);
        var b = Distinct(2, [4], 0.13f);
        Check(t => t[0].Minimum(t[1]), [a, b], eps: 1e-3);
        Check(t => t[0].Maximum(t[1]), [a, b], eps: 1e-3);
    }

    [Fact]
    public void OperandIsTransposedView()
    {
        var a = Rand(3, [4, 3]);
        var b = Rand(4, [3, 4]);
        Check(t => t[0].Transpose().Mul(t[1]), [a, b]);
        Check(t => t[0].Transpose().Add(t[1].Narrow(1, 1, 2).Sum(1, keepDims: true)), [a, b]);
    }

    // ---- unary ----------------------------------------------------------------------------

    [Fact] public void Neg() => Check(t => t.Neg(), Rand(1, [2, 5]));

    [Fact] public void Exp() => Check(t => t.Exp(), Rand(1, [2, 5]));

    [Fact] public void Log() => Check(t => t.Log(), Rand(1, [2, 5], 0.5f, 3f));

    [Fact] public void Sqrt() => Check(t => t.Sqrt(), Rand(1, [2, 5], 0.5f, 3f));

    [Fact] public void Square() => Check(t => t.Square(), Rand(1, [2, 5]));

    [Theory]
    [InlineData(3f)]
    [InlineData(0.5f)]
    [InlineData(-1.5f)]
    public void Pow(float p) => Check(t => t.Pow(p), Rand(1, [2, 5], 0.5f, 2f));

    [Fact] public void Abs() => Check(t => t.Abs(), Rand(1, [2, 5], minAbs: 0.1f), eps: 1e-3);

    [Fact] public void Relu() => Check(t => t.Relu(), Rand(1, [3, 5], minAbs: 0.1f), eps: 1e-3);

    [Fact] public void LeakyRelu() => Check(t => t.LeakyRelu(0.2f), Rand(1, [3, 5], minAbs: 0.1f), eps: 1e-3);

    [Fact] public void Sigmoid() => Check(t => t.Sigmoid(), Rand(1, [3, 5], -4f, 4f));

    [Fact] public void Tanh() => Check(t => t.Tanh(), Rand(1, [3, 5], -2f, 2f));

    [Fact] public void Softplus() => Check(t => t.Softplus(), Rand(1, [3, 5], -4f, 4f));

    [Fact] public void Clamp() => Check(t => t.Clamp(-0.5f, 0.5f), Rand(1, [4, 5], minAbs: 0f), eps: 1e-3);

    [Fact] public void ScalarOps()
    {
        Check(t => t.Add(2.5f), Rand(1, [2, 3]));
        Check(t => t.Mul(-1.5f), Rand(1, [2, 3]));
        Check(t => t.ScalarDiv(2f), Rand(1, [2, 3], 0.5f, 2f));
        Check(t => (1f - t) / 3f, Rand(1, [2, 3]));
    }

    [Fact] public void StridedInputToUnary() => Check(t => t.Permute(2, 0, 1).Exp(), Rand(5, [2, 3, 4]));

    // ---- reductions ---------------------------------------------------------------------

    [Fact] public void SumAll() => Check(t => t.Sum(), Rand(1, [3, 4]));

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    public void SumAxis(int axis, bool keep) => Check(t => t.Sum(axis, keep), Rand(1, [2, 3, 4]));

    [Fact] public void SumSeveralAxes() => Check(t => t.Sum([0, 2]), Rand(1, [2, 3, 4]));

    [Fact] public void MeanAxes()
    {
        Check(t => t.Mean(), Rand(1, [3, 4]));
        Check(t => t.Mean(1), Rand(1, [3, 4]));
    }

    [Fact] public void MaxAxis()
    {
        Check(t => t.Max(1), Distinct(1, [3, 5]), eps: 1e-3);
        Check(t => t.Max(0, keepDims: true), Distinct(2, [3, 5]), eps: 1e-3);
        Check(t => t.Max(), Distinct(3, [3, 5]), eps: 1e-3);
    }

    [Fact] public void ReduceOfPermutedView() => Check(t => t.Transpose(0, 2).Sum(1), Rand(1, [2, 3, 4]));

    // ---- linear algebra -----------------------------------------------------------------

    [Fact] public void MatMul2d() => Check(t => t[0].MatMul(t[1]), [Rand(1, [3, 4]), Rand(2, [4, 5])]);

    [Fact] public void MatMulTransposedViews() =>
        Check(t => t[0].Transpose().MatMul(t[1].Transpose()), [Rand(1, [4, 3]), Rand(2, [5, 4])]);

    [Fact] public void MatMulBatched() => Check(t => t[0].MatMul(t[1]), [Rand(1, [2, 3, 4]), Rand(2, [2, 4, 2])]);

    [Fact] public void MatMulBroadcastBatch() => Check(t => t[0].MatMul(t[1]), [Rand(1, [2, 3, 4]), Rand(2, [4, 2])]);

    [Fact] public void MatMulBroadcastLeft() => Check(t => t[0].MatMul(t[1]), [Rand(1, [3, 4]), Rand(2, [2, 4, 2])]);

    [Fact] public void MatMulBroadcastBatchDims() => Check(t => t[0].MatMul(t[1]), [Rand(1, [2, 1, 3, 4]), Rand(2, [1, 3, 4, 2])]);

    [Fact] public void MatMulOfPermutedBatch() =>
        Check(t => t[0].Permute(1, 0, 2).MatMul(t[1]), [Rand(1, [3, 2, 4]), Rand(2, [2, 4, 3])]);

    // ---- convolution and pooling ------------------------------------------------------------

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    [InlineData(2, 2)]
    public void Conv2d(int stride, int padding) =>
        Check(t => t[0].Conv2d(t[1], stride, padding), [Rand(1, [2, 3, 6, 5]), Rand(2, [4, 3, 3, 3])]);

    [Fact] public void Conv2dNonSquare() =>
        Check(t => t[0].Conv2d(t[1], 1, 2, 1, 0), [Rand(1, [1, 2, 5, 7]), Rand(2, [3, 2, 2, 3])]);

    [Fact] public void MaxPool2d()
    {
        Check(t => t.MaxPool2d(2), Distinct(1, [2, 2, 4, 6]), eps: 1e-3);
        Check(t => t.MaxPool2d(3, 2, 1), Distinct(2, [1, 2, 5, 5]), eps: 1e-3);
    }

    [Fact] public void AvgPool2d()
    {
        Check(t => t.AvgPool2d(2), Rand(1, [2, 2, 4, 6]));
        Check(t => t.AvgPool2d(3, 2, 1), Rand(2, [1, 2, 5, 5]));
    }

    [Fact] public void GlobalAvgPool2d() => Check(t => t.GlobalAvgPool2d(), Rand(1, [2, 3, 4, 5]));

    // ---- softmax and losses --------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void SoftmaxAndLogSoftmax(int axis)
    {
        Check(t => t.Softmax(axis), Rand(1, [3, 5], -2f, 2f));
        Check(t => t.LogSoftmax(axis), Rand(2, [3, 5], -2f, 2f));
    }

    [Fact] public void SoftmaxMiddleAxis() => Check(t => t.Softmax(1), Rand(1, [2, 3, 4], -2f, 2f));

    [Fact] public void CrossEntropy() => Check(t => Losses.CrossEntropy(t, [0, 4, 2]), Rand(1, [3, 5], -2f, 2f));

    [Fact] public void CrossEntropyOfProduct() =>
        Check(t => Losses.CrossEntropy(t[0].MatMul(t[1]), [1, 0]), [Rand(1, [2, 3]), Rand(2, [3, 4])]);

    [Fact] public void Mse() => Check(t => Losses.Mse(t[0], t[1]), [Rand(1, [3, 4]), Rand(2, [3, 4])]);

    [Fact] public void KlDivergence() => Check(t => Losses.KlDivergence(t[0], t[1]), [Rand(1, [3, 4], -2f, 2f), Rand(2, [3, 4], -2f, 2f)]);

    // ---- views and indexing ----------------------------------------------------------------

    [Fact] public void Reshape() => Check(t => t.Reshape(4, -1).Mul(t.Reshape(4, 3)), Rand(1, [2, 6]));

    [Fact] public void ReshapeOfNonContiguous() => Check(t => t.Transpose().Reshape(-1), Rand(1, [3, 4]));

    [Fact] public void Permute() => Check(t => t.Permute(2, 0, 1), Rand(1, [2, 3, 4]));

    [Fact] public void NarrowAndSelect()
    {
        Check(t => t.Narrow(1, 1, 2), Rand(1, [3, 4]));
        Check(t => t.Select(0, 2), Rand(1, [3, 4]));
    }

    [Fact] public void Expand() => Check(t => t.Expand(2, 3, 4), Rand(1, [3, 1]));

    [Fact] public void UnsqueezeSqueezeFlatten() => Check(t => t.Unsqueeze(1).Squeeze(1).Flatten(0), Rand(1, [3, 4]));

    [Fact] public void Concat() => Check(t => Tensor.Concat([t[0], t[1], t[0]], 1), [Rand(1, [2, 3]), Rand(2, [2, 2])]);

    [Fact] public void Stack() => Check(t => Tensor.Stack([t[0], t[1]], 1), [Rand(1, [2, 3]), Rand(2, [2, 3])]);

    [Fact] public void IndexSelectWithRepeats() => Check(t => t.IndexSelect(1, [2, 0, 2, 3]), Rand(1, [2, 4, 3]));

    [Fact] public void Contiguous() => Check(t => t.Transpose().Contiguous(), Rand(1, [3, 4]));

    [Fact] public void SharedSubexpression() => Check(t => { var s = t.Sigmoid(); return s.Mul(s).Add(s); }, Rand(1, [3, 3]));
    // ---- Lie group ops -------------------------------------------------------------------

    [Theory]
    [InlineData(2, 0.5f)]
    [InlineData(3, 1.5f)]
    [InlineData(4, 3f)]
    public void MatrixExp(int n, float scale) => Check(t => t.MatrixExp(), Rand(n, [2, n, n], -scale, scale), eps: 1e-3, rtol: 3e-2);

    [Fact]
    public void AffineGridSample()
    {
        // Bilinear sampling has kinks where a sample point crosses a pixel line; these maps keep every
        // sample point of the 5x5 grid away from such lines.
        var img = new float[2 * 1 * 5 * 5];
        for (int i = 0; i < img.Length; i++)
        {
            img[i] = MathF.Sin(0.7f * i) + 0.3f * MathF.Cos(1.3f * i);
        }
        var theta = new float[] { 0.9f, -0.31f, 0.07f, 0.29f, 0.93f, -0.05f, 1.05f, 0.12f, -0.113f, -0.17f, 0.97f, 0.09f };
        Check(t => t[0].AffineGridSample(t[1]), [new Input(img, [2, 1, 5, 5]), new Input(theta, [2, 2, 3])], eps: 1e-3, atol: 5e-3, rtol: 5e-2);
    }
}
