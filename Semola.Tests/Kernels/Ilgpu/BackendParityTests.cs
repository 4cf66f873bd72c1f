using Semola.Autodiff;
using Semola.Autodiff.Optim;
using Semola.Core.Models;
using Semola.Kernels;
using Semola.Kernels.Ilgpu;

namespace Semola.Tests.Kernels.Ilgpu;

/// <summary>
/// One test body per kernel, run on the target device and on the managed CPU backend (the reference)
/// with the same inputs; outputs must agree within float tolerance. Derived classes pick the device;
/// a missing device makes every test report as skipped with the reason.
/// </summary>
public abstract class BackendParityTests
{
    /// <summary>The device under test, or null when absent.</summary>
    protected abstract Device? Target { get; }

    /// <summary>Why <see cref="Target"/> is null.</summary>
    protected abstract string SkipReason { get; }

    private static Backend Reference => Device.Cpu.Backend;

    private Device TargetDevice()
    {
        Skip.If(Target is null, SkipReason);
        return Target!;
    }

    private static float[] Rand(int seed, int n, float lo = -1f, float hi = 1f)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = lo + (hi - lo) * (float)rng.NextDouble();
        }
        return x;
    }

    private delegate DeviceBuffer[] Body(Backend backend, Func<float[], DeviceBuffer> upload);

    private static float[][] Run(Backend backend, Body body)
    {
        var owned = new List<DeviceBuffer>();
        DeviceBuffer Upload(float[] data)
        {
            var b = backend.Allocate(data.Length);
            backend.Upload(data, b, 0);
            owned.Add(b);
            return b;
        }
        try
        {
            return body(backend, Upload).Select(o =>
            {
                var host = new float[o.Length];
                backend.Download(o, 0, host);
                return host;
            }).ToArray();
        }
        finally
        {
            foreach (var b in owned)
            {
                b.Dispose();
            }
        }
    }

    private void Parity(string what, float rtol, float atol, Body body)
    {
        var target = TargetDevice().Backend;
        var expected = Run(Reference, body);
        var actual = Run(target, body);
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            AssertClose(expected[k], actual[k], rtol, atol, $"{what}, output {k}");
        }
    }

    private static void AssertClose(float[] expected, float[] actual, float rtol, float atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) && float.IsNaN(a))
            {
                continue;
            }
            if (!(Math.Abs(e - a) <= atol + rtol * Math.Abs(e)))
            {
                Assert.Fail($"{what}: element {i} expected {e}, got {a}.");
            }
        }
    }

    [SkippableFact]
    public void AFreedLongerBufferServesAShorterRequest()
    {
        var backend = TargetDevice().Backend;
        // Sizes no other test uses: the class's tests share the device and its pool.
        const int full = 100_003, shorter = 80_021;
        backend.Allocate(full).Dispose();
        long allocations = backend is IlgpuBackend before ? before.DeviceAllocations : 0;
        var x = Rand(71, shorter);
        using var a = backend.Allocate(shorter);
        if (backend is IlgpuBackend after)
        {
            Assert.Equal(allocations, after.DeviceAllocations);
            Assert.Equal(shorter, ((IlgpuBuffer)a).View.Length);
        }

        backend.Upload(x, a, 0);
        using var y = backend.Allocate(shorter);
        backend.Unary(UnaryOp.Neg, 0, 0, [shorter], new StridedView(a, 0, [1]), y);
        var host = new float[shorter];
        backend.Download(y, 0, host);
        Assert.Equal(x.Select(v => -v).ToArray(), host);
    }

    [SkippableFact]
    public void FillAndStridedCopy()
    {
        int[] shape = [3, 4, 5];
        Parity("copy", 0, 0, (b, up) =>
        {
            var src = up(Rand(1, 60));
            var dst = up(new float[64]);
            b.Fill(dst, 0, 64, -3f);
            // src viewed as its transpose-like permutation: strides of a [5, 4, 3] buffer read as [3, 4, 5].
            b.Copy(shape, new StridedView(src, 0, [1, 3, 12]), new StridedView(dst, 2, [20, 5, 1]));
            var filled = up(new float[10]);
            b.Fill(filled, 3, 5, 2.5f);
            return [dst, filled];
        });
    }

    [SkippableFact]
    public void UnaryOpsOnStridedViews()
    {
        int[] shape = [5, 7];
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            Parity($"unary {op}", 2e-6f, 1e-6f, (b, up) =>
            {
                var x = up(Rand(2, 35, op is UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.Pow or UnaryOp.ScalarDiv ? 0.1f : -3f, 3f));
                var y = up(new float[35]);
                b.Unary(op, 0.7f, 1.5f, shape, new StridedView(x, 0, [1, 5]), y);
                return [y];
            });
        }
    }

    [SkippableFact]
    public void BinaryOpsWithBroadcasting()
    {
        int[] shape = [4, 6];
        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            bool positive = op is BinaryOp.Div or BinaryOp.PowBackward or BinaryOp.SqrtBackward;
            Parity($"binary {op}", 2e-6f, 1e-6f, (b, up) =>
            {
                var a = up(Rand(3, 24, positive ? 0.2f : -2f, 2f));
                var c = up(Rand(4, 6, positive ? 0.2f : -2f, 2f));
                var y1 = up(new float[24]);
                var y2 = up(new float[24]);
                b.Binary(op, 0.3f, 1.2f, shape, new StridedView(a, 0, [6, 1]), new StridedView(c, 0, [0, 1]), y1);
                b.Binary(op, 0.3f, 1.2f, shape, new StridedView(c, 1, [1, 0]), new StridedView(a, 0, [1, 4]), y2);
                return [y1, y2];
            });
        }
    }

    [SkippableFact]
    public void Reductions()
    {
        foreach (var op in Enum.GetValues<ReduceOp>())
        {
            Parity($"reduce {op}", 1e-5f, 1e-5f, (b, up) =>
            {
                var x = up(Rand(5, 120));
                var y = up(new float[12]);
                b.Reduce(op, x, 3, 10, 4, y);
                var big = up(Rand(6, 4000));
                var z = up(new float[2]);
                b.Reduce(op, big, 2, 2000, 1, z);
                return [y, z];
            });
        }
    }

    [SkippableFact]
    public void SoftmaxAndBackward()
    {
        foreach (bool log in new[] { false, true })
        {
            Parity($"softmax log={log}", 1e-5f, 1e-6f, (b, up) =>
            {
                var x = up(Rand(7, 42, -4f, 4f));
                var y = up(new float[42]);
                var dy = up(Rand(8, 42));
                var dx = up(new float[42]);
                b.Softmax(log, x, 3, 7, 2, y);
                b.SoftmaxBackward(log, y, dy, 3, 7, 2, dx);
                return [y, dx];
            });
        }
    }

    [SkippableFact]
    public void CrossEntropyAndBackward()
    {
        int[] labels = [0, 4, 2, 2, 1, 3];
        Parity("cross-entropy", 1e-5f, 1e-6f, (b, up) =>
        {
            var logits = up(Rand(9, 30, -3f, 3f));
            var loss = up(new float[6]);
            var probs = up(new float[30]);
            var dloss = up(Rand(10, 6));
            var dx = up(new float[30]);
            b.CrossEntropy(logits, labels, 6, 5, loss, probs);
            b.CrossEntropyBackward(probs, labels, dloss, 6, 5, dx);
            return [loss, probs, dx];
        });
    }

    [SkippableFact]
    public void IndexSelectAndAtomicIndexAdd()
    {
        int[] index = [4, 0, 4, 2];
        Parity("index", 1e-6f, 1e-6f, (b, up) =>
        {
            var x = up(Rand(11, 30));
            var y = up(new float[24]);
            b.IndexSelect(x, 2, 5, 3, index, y);
            var dx = up(Rand(12, 30));
            b.IndexAdd(y, 2, 5, 3, index, dx);
            return [y, dx];
        });
    }

    [SkippableFact]
    public void GemmTiledAllTransposesBatchedAndBroadcast()
    {
        Parity("gemm 64^3", 1e-5f, 1e-4f, (b, up) =>
        {
            var a = up(Rand(13, 64 * 64));
            var bb = up(Rand(14, 64 * 64));
            var c = up(new float[64 * 64]);
            b.Gemm(new GemmArgs(1, false, false, 64, 64, 64, 1f, a, 0, 64, 0, bb, 0, 64, 0, 0f, c, 0, 64, 0));
            return [c];
        });
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                const int m = 37, n = 29, k = 70, batch = 3;
                int lda = ta ? m + 1 : k + 2, ldb = tb ? k + 3 : n, ldc = n + 1;
                int aRows = ta ? k : m, bRows = tb ? n : k;
                Parity($"gemm transA={ta} transB={tb}", 1e-5f, 1e-4f, (be, up) =>
                {
                    var a = up(Rand(15, 5 + aRows * lda));
                    var bb = up(Rand(16, 3 + batch * bRows * ldb));
                    var c = up(Rand(17, 1 + batch * m * ldc));
                    be.Gemm(new GemmArgs(batch, ta, tb, m, n, k, 0.5f, a, 5, lda, 0, bb, 3, ldb, bRows * ldb, 0.25f, c, 1, ldc, m * ldc));
                    return [c];
                });
            }
        }
    }

    [SkippableFact]
    public void Conv2dForwardAndBackward()
    {
        foreach (var g in new[]
        {
            new Conv2dGeometry(2, 3, 9, 8, 4, 3, 3, 2, 2, 1, 1),
            new Conv2dGeometry(2, 2, 6, 6, 3, 3, 2, 1, 1, 0, 1),
        })
        {
            int xs = g.N * g.C * g.H * g.W, ws = g.OutC * g.C * g.KH * g.KW, ys = g.N * g.OutC * g.OH * g.OW;
            Parity($"conv {g}", 1e-5f, 1e-5f, (b, up) =>
            {
                var x = up(Rand(18, xs));
                var w = up(Rand(19, ws));
                var y = up(new float[ys]);
                var dy = up(Rand(20, ys));
                var dx = up(new float[xs]);
                var dw = up(new float[ws]);
                b.Conv2dForward(g, x, w, y);
                b.Conv2dBackwardInput(g, dy, w, dx);
                b.Conv2dBackwardWeight(g, x, dy, dw);
                return [y, dx, dw];
            });
        }
    }

    [SkippableFact]
    public void PoolingForwardAndBackward()
    {
        foreach (var g in new[]
        {
            new Conv2dGeometry(2, 3, 8, 7, 3, 2, 2, 2, 2, 0, 0),
            new Conv2dGeometry(1, 2, 7, 7, 2, 3, 3, 2, 2, 1, 1),
        })
        {
            int xs = g.N * g.C * g.H * g.W, ys = g.N * g.C * g.OH * g.OW;
            Parity($"pool {g}", 1e-6f, 1e-6f, (b, up) =>
            {
                var x = up(Rand(21, xs));
                var dy = up(Rand(22, ys));
                var ym = up(new float[ys]);
                var ya = up(new float[ys]);
                var dxm = up(new float[xs]);
                var dxa = up(new float[xs]);
                b.MaxPool2dForward(g, x, ym);
                b.MaxPool2dBackward(g, x, dy, dxm);
                b.AvgPool2dForward(g, x, ya);
                b.AvgPool2dBackward(g, dy, dxa);
                return [ym, dxm, ya, dxa];
            });
        }
    }

    [SkippableFact]
    public void BatchNormForwardAndBackward()
    {
        foreach (bool affine in new[] { true, false })
        {
            Parity($"batch norm affine={affine}", 1e-4f, 1e-5f, (b, up) =>
            {
                var x = up(Rand(23, 120, -2f, 3f));
                var gamma = affine ? up(Rand(24, 3, 0.5f, 1.5f)) : null;
                var beta = affine ? up(Rand(25, 3)) : null;
                var y = up(new float[120]);
                var mean = up(new float[3]);
                var invStd = up(new float[3]);
                var rm = up(Rand(26, 3));
                var rv = up(Rand(27, 3, 0.5f, 1f));
                b.BatchNormForward(x, 4, 3, 10, gamma, beta, 1e-5f, y, mean, invStd, rm, rv, 0.1f);
                var dy = up(Rand(28, 120));
                var dx = up(new float[120]);
                var dgamma = affine ? up(new float[3]) : null;
                var dbeta = affine ? up(new float[3]) : null;
                b.BatchNormBackward(x, dy, 4, 3, 10, gamma, mean, invStd, dx, dgamma, dbeta);
                var outputs = new List<DeviceBuffer> { y, mean, invStd, rm, rv, dx };
                if (affine)
                {
                    outputs.Add(dgamma!);
                    outputs.Add(dbeta!);
                }
                return [.. outputs];
            });
        }
    }

    [SkippableFact]
    public void BatchNormReluForwardAndBackward()
    {
        // The CPU backend fuses the ReLU into the batch-norm passes; the ILGPU backend composes
        // the batch-norm, ReLU and ReLU-backward kernels.
        foreach (bool affine in new[] { true, false })
        {
            Parity($"batch norm + relu affine={affine}", 1e-4f, 1e-5f, (b, up) =>
            {
                var x = up(Rand(33, 150, -2f, 3f));
                var gamma = affine ? up(Rand(34, 3, 0.5f, 1.5f)) : null;
                var beta = affine ? up(Rand(35, 3)) : null;
                var y = up(new float[150]);
                var mean = up(new float[3]);
                var invStd = up(new float[3]);
                var rm = up(Rand(36, 3));
                var rv = up(Rand(37, 3, 0.5f, 1f));
                b.BatchNormReluForward(x, 5, 3, 10, gamma, beta, 1e-5f, y, mean, invStd, rm, rv, 0.1f);
                var dy = up(Rand(38, 150));
                var dx = up(new float[150]);
                var dgamma = affine ? up(new float[3]) : null;
                var dbeta = affine ? up(new float[3]) : null;
                b.BatchNormReluBackward(x, y, dy, 5, 3, 10, gamma, mean, invStd, dx, dgamma, dbeta);
                var outputs = new List<DeviceBuffer> { y, mean, invStd, rm, rv, dx };
                if (affine)
                {
                    outputs.Add(dgamma!);
                    outputs.Add(dbeta!);
                }
                return [.. outputs];
            });
        }
    }

    [SkippableFact]
    public void AdamAndSgdSteps()
    {
        foreach (bool decoupled in new[] { false, true })
        {
            Parity($"adam decoupled={decoupled}", 1e-5f, 1e-6f, (b, up) =>
            {
                var p = up(Rand(29, 1003));
                var g = up(Rand(30, 1005));
                var m = up(Rand(31, 1000, -0.1f, 0.1f));
                var v = up(Rand(32, 1000, 0f, 0.1f));
                b.AdamStep(p, 3, g, 5, m, v, 1000, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, 3, decoupled);
                return [p, m, v];
            });
        }
        foreach (bool nesterov in new[] { false, true })
        {
            foreach (bool first in new[] { false, true })
            {
                Parity($"sgd nesterov={nesterov} first={first}", 1e-6f, 1e-6f, (b, up) =>
                {
                    var p = up(Rand(33, 1003));
                    var g = up(Rand(34, 1005));
                    var buf = up(Rand(35, 1000));
                    b.SgdStep(p, 3, g, 5, buf, 1000, 0.1f, 0.9f, 0.1f, 0.01f, nesterov, first);
                    var q = up(Rand(36, 100));
                    b.SgdStep(q, 0, g, 0, null, 100, 0.1f, 0f, 0f, 0f, false, first);
                    return [p, buf, q];
                });
            }
        }
    }

    [SkippableFact]
    public void SumOfSquares()
    {
        var target = TargetDevice().Backend;
        var data = Rand(37, 5000);
        using var a = Reference.Allocate(data.Length);
        using var t = target.Allocate(data.Length);
        Reference.Upload(data, a, 0);
        target.Upload(data, t, 0);
        double expected = Reference.SumOfSquares(a, 7, 4900);
        double actual = target.SumOfSquares(t, 7, 4900);
        Assert.Equal(expected, actual, expected * 1e-6);
        Assert.Equal(0.0, target.SumOfSquares(t, 0, 0));
    }

    [SkippableFact]
    public void MatrixExponentialForwardAndBackward()
    {
        foreach (int n in new[] { 2, 3 })
        {
            int len = 4 * n * n;
            Parity($"expm n={n}", 1e-5f, 1e-5f, (b, up) =>
            {
                var a = up(Rand(38 + n, len, -1.5f, 1.5f));
                var g = up(Rand(40 + n, len));
                var e = up(new float[len]);
                var ga = up(new float[len]);
                b.MatrixExp(a, 4, n, e);
                b.MatrixExpBackward(a, g, 4, n, ga);
                return [e, ga];
            });
        }
    }

    /// <summary>
    /// Three matrices of size n: a random one with entries of order 1/sqrt(n), a skew-symmetric one scaled to
    /// spectral norm pi (a half-turn rotation generator, as the SEMoLA extent cap produces) and a random one
    /// with a scaling part on the diagonal.
    /// </summary>
    private static float[] ExperimentMatrices(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new float[3 * n * n];
        double c = 1.5 / Math.Sqrt(n);
        for (int i = 0; i < n * n; i++)
        {
            a[i] = (float)(c * (2 * rng.NextDouble() - 1));
        }
        var skew = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                skew[i, j] = 2 * rng.NextDouble() - 1;
                skew[j, i] = -skew[i, j];
            }
        }
        // Scale to spectral norm pi: power iteration on S^T S = -S^2.
        var v = Enumerable.Range(0, n).Select(_ => rng.NextDouble() + 0.1).ToArray();
        double sigma = 0;
        for (int it = 0; it < 200; it++)
        {
            var w = new double[n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    w[i] += skew[i, j] * v[j];
                }
            }
            sigma = Math.Sqrt(w.Sum(x => x * x) / v.Sum(x => x * x));
            var u = new double[n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    u[i] -= skew[i, j] * w[j];
                }
            }
            double norm = Math.Sqrt(u.Sum(x => x * x));
            v = u.Select(x => x / norm).ToArray();
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[n * n + i * n + j] = (float)(Math.PI * skew[i, j] / sigma);
                a[2 * n * n + i * n + j] = (float)(0.5 * c * (2 * rng.NextDouble() - 1) + (i == j ? 0.3 * (2 * rng.NextDouble() - 1) : 0));
            }
        }
        return a;
    }

    [SkippableFact]
    public void MatrixExponentialAtExperimentSizes()
    {
        foreach (int n in new[] { 3, 4, 8, 12 })
        {
            int len = 3 * n * n;
            Parity($"expm n={n}", 2e-5f, 2e-5f, (b, up) =>
            {
                var a = up(ExperimentMatrices(n, 60 + n));
                var g = up(Rand(70 + n, len));
                var e = up(new float[len]);
                var ga = up(new float[len]);
                b.MatrixExp(a, 3, n, e);
                b.MatrixExpBackward(a, g, 3, n, ga);
                return [e, ga];
            });
        }
    }

    [SkippableFact]
    public void AffineGridSampleForwardAndBackward()
    {
        const int bt = 2, c = 3, h = 6, w = 5;
        float[] theta = [0.9f, -0.3f, 0.1f, 0.35f, 0.85f, -0.2f, 1.1f, 0.2f, -0.3f, -0.1f, 0.95f, 0.15f];
        Parity("grid sample", 1e-5f, 1e-5f, (b, up) =>
        {
            var image = up(Rand(44, bt * c * h * w));
            var th = up(theta);
            var y = up(new float[bt * c * h * w]);
            var gy = up(Rand(45, bt * c * h * w));
            var gi = up(Rand(46, bt * c * h * w));
            var gt = up(Rand(47, bt * 6));
            b.AffineGridSample(image, th, bt, c, h, w, y);
            b.AffineGridSampleBackward(image, th, gy, bt, c, h, w, gi, gt);
            var gt2 = up(new float[bt * 6]);
            b.AffineGridSampleBackward(image, th, gy, bt, c, h, w, null, gt2);
            return [y, gi, gt, gt2];
        });
    }

    /// <summary>
    /// Grid-sample thetas that stress the gathering image gradient: identity, a rotation by 2.5 rad with a
    /// shift, a strong zoom-out (many output pixels sample each input pixel), a shear with a flip, and a
    /// singular map (every output pixel on one line: the whole plane is searched).
    /// </summary>
    private static readonly float[] DeterminismThetas =
    [
        1f, 0f, 0f, 0f, 1f, 0f,
        -0.801f, -0.598f, 0.2f, 0.598f, -0.801f, -0.1f,
        0.15f, 0.02f, 0.05f, -0.03f, 0.2f, -0.02f,
        0.9f, 0.6f, 0.1f, 0.1f, -1.1f, 0.3f,
        0.5f, 1f, 0.1f, 0.25f, 0.5f, 0.05f,
    ];

    private void WithDeterministic(Action body)
    {
        var backend = (IlgpuBackend)TargetDevice().Backend;
        bool before = backend.Deterministic;
        backend.Deterministic = true;
        try
        {
            body();
        }
        finally
        {
            backend.Deterministic = before;
        }
    }

    private static DeviceBuffer[] DeterminismBody(Backend b, Func<float[], DeviceBuffer> up)
    {
        const int bt = 5, c = 2, h = 9, w = 7;
        var image = up(Rand(50, bt * c * h * w));
        var th = up(DeterminismThetas);
        var gy = up(Rand(51, bt * c * h * w));
        var gi = up(Rand(52, bt * c * h * w));
        var gt = up(Rand(53, bt * 6));
        b.AffineGridSampleBackward(image, th, gy, bt, c, h, w, gi, gt);
        var gi2 = up(Rand(54, bt * c * h * w));
        b.AffineGridSampleBackward(image, th, gy, bt, c, h, w, gi2, null);
        // Index add with repeated indices (several rows accumulate into row 4).
        int[] index = [4, 0, 4, 2, 4, 4, 1];
        var rows = up(Rand(55, 3 * index.Length * 4));
        var dx = up(Rand(56, 3 * 6 * 4));
        b.IndexAdd(rows, 3, 6, 4, index, dx);
        return [gi, gt, gi2, dx];
    }

    [SkippableFact]
    public void DeterministicModeMatchesCpu()
    {
        WithDeterministic(() => Parity("deterministic grid sample backward and index add", 1e-5f, 1e-5f, DeterminismBody));
    }

    /// <summary>The reductions that weight gradients go through: a GEMM with a long k (x^T dy), a group
    /// reduction over a long axis, batch-norm dgamma/dbeta and the sum of squares.</summary>
    private static DeviceBuffer[] WeightGradientBody(Backend b, Func<float[], DeviceBuffer> up)
    {
        const int k = 300, m = 12, n = 10;
        var x = up(Rand(57, k * m));
        var dy = up(Rand(58, k * n));
        var dw = up(new float[m * n]);
        b.Gemm(new GemmArgs(1, true, false, m, n, k, 1f, x, 0, m, 0, dy, 0, n, 0, 0f, dw, 0, n, 0));
        var sum = up(new float[3]);
        b.Reduce(ReduceOp.Sum, x, 3, k * m / 3, 1, sum);
        var bx = up(Rand(59, 4 * 3 * 50));
        var bdy = up(Rand(60, 4 * 3 * 50));
        var mean = up(new float[3]);
        var invStd = up(new float[3]);
        var by = up(new float[4 * 3 * 50]);
        var gamma = up(Rand(61, 3, 0.5f, 1.5f));
        var beta = up(Rand(62, 3));
        b.BatchNormForward(bx, 4, 3, 50, gamma, beta, 1e-5f, by, mean, invStd, null, null, 0.1f);
        var bdx = up(new float[4 * 3 * 50]);
        var dgamma = up(new float[3]);
        var dbeta = up(new float[3]);
        b.BatchNormBackward(bx, bdy, 4, 3, 50, gamma, mean, invStd, bdx, dgamma, dbeta);
        var squares = up([(float)b.SumOfSquares(x, 0, k * m)]);
        return [dw, sum, by, bdx, dgamma, dbeta, squares];
    }

    [SkippableFact]
    public void DeterministicModeGivesIdenticalBitsRunAfterRun()
    {
        var target = TargetDevice().Backend;
        WithDeterministic(() =>
        {
            var first = Run(target, DeterminismBody).Concat(Run(target, WeightGradientBody)).ToArray();
            for (int run = 0; run < 3; run++)
            {
                var again = Run(target, DeterminismBody).Concat(Run(target, WeightGradientBody)).ToArray();
                for (int k = 0; k < first.Length; k++)
                {
                    Assert.True(first[k].AsSpan().SequenceEqual(again[k]), $"output {k} differs between deterministic runs (run {run + 2})");
                }
            }
        });
        Parity("weight-gradient reductions", 1e-4f, 1e-4f, WeightGradientBody);
    }

    private static (float Loss, float[] Parameters) BaseCnnAdamStep(Device device)
    {
        var model = BaseCnn.Build(new Random(1));
        model.To(device);
        var adam = new Adam(model.Parameters(), 1e-3f);
        var images = Tensor.FromArray(Rand(48, 2 * 64, 0f, 1f), [2, 1, 8, 8], device);
        float loss;
        using (new TensorScope())
        {
            var l = Losses.CrossEntropy(model.Forward(images), [3, 7]);
            loss = l.Item();
            adam.Step(l.Backward());
        }
        var parameters = model.Parameters().SelectMany(p => p.ToArray()).ToArray();
        foreach (var t in model.Parameters().Concat(model.NamedBuffers().Select(kv => kv.Value)).Append(images))
        {
            t.Buffer.Dispose();
        }
        return (loss, parameters);
    }

    [SkippableFact]
    public void BaseCnnTrainingStepMatchesCpu()
    {
        var device = TargetDevice();

        // The CPU reference lowers every convolution to a GEMM, as the device kernels do: with
        // Winograd F(2x2, 3x3) (the default on the AVX-512 and AVX2 paths) the gradients differ by float rounding, and the
        // first Adam step (about lr * sign(g)) turns that into visible differences wherever a
        // gradient is nearly zero. Winograd's own accuracy is checked in CpuConv2dTests.
        (float, float[]) reference;
        using (Semola.Kernels.Cpu.CpuConv2d.OverrideWinograd(false))
        {
            reference = BaseCnnAdamStep(Device.Cpu);
        }

        var (expectedLoss, expected) = reference;
        var (actualLoss, actual) = BaseCnnAdamStep(device);
        Assert.Equal(expectedLoss, actualLoss, 1e-4f);
        AssertClose(expected, actual, 1e-4f, 2e-5f, "base CNN parameters after one Adam step");
    }

    private static (float Loss, float[] Parameters) P4CnnAdamStep(Device device)
    {
        var model = P4Cnn.Build(new Random(5), inChannels: 3, numClasses: 4, widths: [3, 3, 4, 4, 5]);
        model.To(device);
        var adam = new Adam(model.Parameters(), 1e-3f);
        var images = Tensor.FromArray(Rand(50, 2 * 3 * 64, 0f, 1f), [2, 3, 8, 8], device);
        float loss;
        using (new TensorScope())
        {
            var l = Losses.CrossEntropy(model.Forward(images), [3, 1]);
            loss = l.Item();
            adam.Step(l.Backward());
        }
        var parameters = model.Parameters().SelectMany(p => p.ToArray()).ToArray();
        foreach (var t in model.Parameters().Concat(model.NamedBuffers().Select(kv => kv.Value)).Append(images))
        {
            t.Buffer.Dispose();
        }
        return (loss, parameters);
    }

    [SkippableFact]
    public void P4CnnTrainingStepMatchesCpu()
    {
        var device = TargetDevice();
        var (expectedLoss, expected) = P4CnnAdamStep(Device.Cpu);
        var (actualLoss, actual) = P4CnnAdamStep(device);
        Assert.Equal(expectedLoss, actualLoss, 1e-4f);
        AssertClose(expected, actual, 1e-4f, 2e-5f, "p4 CNN parameters after one Adam step");
    }

    [SkippableFact]
    public void LiveBuffersReturnToBaselineAndSteadyStateDoesNotAllocate()
    {
        var device = TargetDevice();
        var backend = device.Backend;
        var model = BaseCnn.Build(new Random(2));
        model.To(device);
        var adam = new Adam(model.Parameters(), 1e-3f);
        var images = Tensor.FromArray(Rand(49, 2 * 64, 0f, 1f), [2, 1, 8, 8], device);
        void Step()
        {
            using var scope = new TensorScope();
            var l = Losses.CrossEntropy(model.Forward(images), [1, 2]);
            adam.Step(l.Backward());
        }
        Step();
        long live = backend.LiveBuffers;
        long elements = backend.LiveElements;
        long allocations = backend is IlgpuBackend ib ? ib.DeviceAllocations : 0;
        Step();
        Step();
        Assert.Equal(live, backend.LiveBuffers);
        Assert.Equal(elements, backend.LiveElements);
        if (backend is IlgpuBackend ib2)
        {
            Assert.Equal(allocations, ib2.DeviceAllocations);
        }
    }
}
