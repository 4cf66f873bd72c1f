using Semola.Kernels;
using Semola.Tests.Kernels.Ilgpu;

namespace Semola.Tests.Kernels;

/// <summary>
/// Every <see cref="UnaryOp"/> and <see cref="BinaryOp"/> on every backend (the managed CPU backend,
/// ILGPU's CPU accelerator, and CUDA where present; reported as skipped with the reason otherwise),
/// against a double-precision reference written here from each op's definition. The layouts cover the
/// CPU backend's SIMD rows (contiguous, broadcast operands) and its strided scalar rows; inputs sit on a
/// grid of quarter steps so that ties (a == b, x == 0, x on a clamp bound) are exercised.
/// </summary>
public sealed class ElementwiseOpsOnEveryBackendTests(IlgpuCpuFixture simulator, CudaFixture cuda)
    : IClassFixture<IlgpuCpuFixture>, IClassFixture<CudaFixture>
{
    private const int Rows = 3, Cols = 40;

    public static TheoryData<string> Backends => new() { "cpu", "ilgpu-cpu", "cuda" };

    private Device DeviceNamed(string name)
    {
        switch (name)
        {
            case "cpu":
                return Device.Cpu;
            case "ilgpu-cpu":
                return simulator.Device;
            default:
                Skip.If(cuda.Device is null, cuda.Reason);
                return cuda.Device!;
        }
    }

    /// <summary>Values k/4 for k in [lo*4, hi*4], cycled to <paramref name="n"/> elements, shuffled by <paramref name="seed"/>.</summary>
    private static float[] Grid(int n, int seed, float lo, float hi)
    {
        var values = new List<float>();
        for (int k = (int)(lo * 4); k <= (int)(hi * 4); k++)
        {
            values.Add(k / 4f);
        }
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => values[rng.Next(values.Count)]).ToArray();
    }

    private static double Sign(double x) => x > 0 ? 1 : x < 0 ? -1 : 0;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Reference(UnaryOp op, double p0, double p1, double x) => op switch
    {
        UnaryOp.Identity => x,
        UnaryOp.Neg => -x,
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Sign => Sign(x),
        UnaryOp.Relu => Math.Max(x, 0),
        UnaryOp.LeakyRelu => x > 0 ? x : p0 * x,
        UnaryOp.Sigmoid => Sigmoid(x),
        UnaryOp.Tanh => Math.Tanh(x),
        UnaryOp.Softplus => Math.Log(1 + Math.Exp(x)),
        UnaryOp.Pow => Math.Pow(x, p0),
        UnaryOp.Clamp => Math.Min(Math.Max(x, p0), p1),
        UnaryOp.AddScalar => x + p0,
        UnaryOp.MulScalar => x * p0,
        UnaryOp.ScalarDiv => p0 / x,
        UnaryOp.Square => x * x,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "no reference for this op: add one"),
    };

    private static double Reference(BinaryOp op, double p0, double p1, double a, double b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Min => Math.Min(a, b),
        BinaryOp.Max => Math.Max(a, b),
        BinaryOp.Greater => a > b ? 1 : 0,
        BinaryOp.GreaterEqual => a >= b ? 1 : 0,
        BinaryOp.ReluBackward => a > 0 ? b : 0,
        BinaryOp.LeakyReluBackward => a > 0 ? b : p0 * b,
        BinaryOp.SigmoidBackward => b * a * (1 - a),
        BinaryOp.TanhBackward => b * (1 - a * a),
        BinaryOp.SoftplusBackward => b * Sigmoid(a),
        BinaryOp.AbsBackward => b * Sign(a),
        BinaryOp.SqrtBackward => b * 0.5 / a,
        BinaryOp.PowBackward => b * p0 * Math.Pow(a, p0 - 1),
        BinaryOp.ClampBackward => a >= p0 && a <= p1 ? b : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "no reference for this op: add one"),
    };

    /// <summary>Parameter sets per op (several where the kernel has special cases).</summary>
    private static (float P0, float P1)[] Parameters(string op) => op switch
    {
        "LeakyRelu" or "LeakyReluBackward" => [(0.1f, 0f)],
        "Pow" => [(1.5f, 0f), (2f, 0f), (-0.5f, 0f)],
        "PowBackward" => [(1.5f, 0f), (2f, 0f)],
        "Clamp" or "ClampBackward" => [(-0.5f, 1.5f)],
        "AddScalar" => [(0.75f, 0f)],
        "MulScalar" => [(-1.25f, 0f)],
        "ScalarDiv" => [(3f, 0f)],
        _ => [(0f, 0f)],
    };

    private static bool PositiveOnly(string op) => op is "Log" or "Sqrt" or "Pow" or "ScalarDiv" or "SqrtBackward" or "PowBackward";

    private static void AssertClose(double expected, float actual, string what)
    {
        if (double.IsNaN(expected) ? float.IsNaN(actual) : Math.Abs(expected - actual) <= 1e-6 + 1e-5 * Math.Abs(expected))
        {
            return;
        }
        Assert.Fail($"{what}: expected {expected}, got {actual}.");
    }

    private static float[] Download(Backend backend, DeviceBuffer buffer)
    {
        var host = new float[buffer.Length];
        backend.Download(buffer, 0, host);
        return host;
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void EveryUnaryOpMatchesTheReference(string backendName)
    {
        var backend = DeviceNamed(backendName).Backend;
        int[] shape = [Rows, Cols];
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            string name = op.ToString();
            float[] x = PositiveOnly(name) ? Grid(Rows * Cols, 1, 0.25f, 2.5f) : Grid(Rows * Cols, 1, -2.5f, 2.5f);
            foreach (var (p0, p1) in Parameters(name))
            {
                using var xb = backend.Allocate(x.Length);
                using var y = backend.Allocate(x.Length);
                backend.Upload(x, xb, 0);
                // Row-major (SIMD rows on the CPU) and the transposed reading of the same buffer (strided rows).
                foreach (bool transposed in new[] { false, true })
                {
                    var view = transposed ? new StridedView(xb, 0, [1, Rows]) : new StridedView(xb, 0, [Cols, 1]);
                    backend.Unary(op, p0, p1, shape, view, y);
                    var got = Download(backend, y);
                    for (int r = 0; r < Rows; r++)
                    {
                        for (int c = 0; c < Cols; c++)
                        {
                            float xi = transposed ? x[c * Rows + r] : x[r * Cols + c];
                            AssertClose(Reference(op, p0, p1, xi), got[r * Cols + c], $"{backendName} {op}(p0={p0}, p1={p1}) at x={xi}{(transposed ? ", transposed" : string.Empty)}");
                        }
                    }
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void EveryBinaryOpMatchesTheReference(string backendName)
    {
        var backend = DeviceNamed(backendName).Backend;
        int[] shape = [Rows, Cols];
        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            string name = op.ToString();
            bool positive = PositiveOnly(name) || op == BinaryOp.Div;
            float[] a = positive && op != BinaryOp.Div ? Grid(Rows * Cols, 2, 0.25f, 2.5f) : Grid(Rows * Cols, 2, -2f, 2f);
            float[] b = op == BinaryOp.Div ? Grid(Rows * Cols, 3, 0.25f, 2f) : Grid(Rows * Cols, 3, -2f, 2f);
            foreach (var (p0, p1) in Parameters(name))
            {
                using var ab = backend.Allocate(a.Length);
                using var bb = backend.Allocate(b.Length);
                using var y = backend.Allocate(Rows * Cols);
                backend.Upload(a, ab, 0);
                backend.Upload(b, bb, 0);
                // (a layout, b layout, how to read element (r, c) of each): contiguous; b broadcast along rows;
                // a a broadcast scalar; a read transposed.
                var layouts = new (string What, int[] As, int[] Bs, Func<int, int, int> Ai, Func<int, int, int> Bi)[]
                {
                    ("contiguous", [Cols, 1], [Cols, 1], (r, c) => r * Cols + c, (r, c) => r * Cols + c),
                    ("b broadcast over rows", [Cols, 1], [0, 1], (r, c) => r * Cols + c, (r, c) => c),
                    ("a broadcast scalar", [0, 0], [Cols, 1], (r, c) => 0, (r, c) => r * Cols + c),
                    ("a transposed", [1, Rows], [Cols, 1], (r, c) => c * Rows + r, (r, c) => r * Cols + c),
                };
                foreach (var (what, aStrides, bStrides, ai, bi) in layouts)
                {
                    backend.Binary(op, p0, p1, shape, new StridedView(ab, 0, aStrides), new StridedView(bb, 0, bStrides), y);
                    var got = Download(backend, y);
                    for (int r = 0; r < Rows; r++)
                    {
                        for (int c = 0; c < Cols; c++)
                        {
                            float av = a[ai(r, c)], bv = b[bi(r, c)];
                            AssertClose(Reference(op, p0, p1, av, bv), got[r * Cols + c], $"{backendName} {op}(p0={p0}, p1={p1}) at a={av}, b={bv} ({what})");
                        }
                    }
                }
            }
        }
    }
}
