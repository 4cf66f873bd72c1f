using ILGPU;
using ILGPU.Runtime;

namespace Semola.Kernels.Ilgpu;

public sealed partial class IlgpuBackend
{
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, BatchNormParams, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _bnForward;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, BatchNormParams, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _bnBackward;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>, ArrayView<float>, AdamParams>? _adam;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>, SgdParams>? _sgd;

    private static ArrayView<float> OptionalView(DeviceBuffer? buffer, string op) => buffer is null ? ArrayView<float>.Empty : V(buffer, op);

    /// <inheritdoc />
    public override void BatchNormForward(DeviceBuffer x, int n, int c, int inner, DeviceBuffer? gamma, DeviceBuffer? beta, float eps,
        DeviceBuffer y, DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer? runningMean, DeviceBuffer? runningVar, float momentum)
    {
        const string op = nameof(BatchNormForward);
        var p = new BatchNormParams
        {
            N = n, C = c, Inner = inner, Eps = eps, Momentum = momentum,
            HasGamma = gamma is null ? 0 : 1, HasBeta = beta is null ? 0 : 1,
            HasRunning = runningMean is not null && runningVar is not null ? 1 : 0,
        };
        var args = (V(x, op), OptionalView(gamma, op), OptionalView(beta, op), V(y, op), V(saveMean, op), V(saveInvStd, op), OptionalView(runningMean, op), OptionalView(runningVar, op));
        if (c == 0)
        {
            return;
        }
        Kernel(ref _bnForward, a => a.LoadKernel<ArrayView<float>, BatchNormParams, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(NormKernels.Forward))(
            Stream, new KernelConfig(c, GroupSize), args.Item1, p, args.Item2, args.Item3, args.Item4, args.Item5, args.Item6, args.Item7, args.Item8);
    }

    /// <inheritdoc />
    public override void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, int n, int c, int inner, DeviceBuffer? gamma,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer? dgamma, DeviceBuffer? dbeta)
    {
        const string op = nameof(BatchNormBackward);
        var p = new BatchNormParams
        {
            N = n, C = c, Inner = inner,
            HasGamma = gamma is null ? 0 : 1, HasBeta = dbeta is null ? 0 : 1,
        };
        var xv = V(x, op);
        var gv = V(dy, op);
        var gammaView = OptionalView(gamma, op);
        var mv = V(saveMean, op);
        var sv = V(saveInvStd, op);
        var dxv = V(dx, op);
        var dgv = gamma is null ? ArrayView<float>.Empty : OptionalView(dgamma, op);
        var dbv = OptionalView(dbeta, op);
        if (c == 0)
        {
            return;
        }
        if (gamma is null && dgamma is not null)
        {
            throw new ArgumentException($"{op}: dgamma was requested without gamma.");
        }
        Kernel(ref _bnBackward, a => a.LoadKernel<ArrayView<float>, ArrayView<float>, BatchNormParams, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(NormKernels.Backward))(
            Stream, new KernelConfig(c, GroupSize), xv, gv, p, gammaView, mv, sv, dxv, dgv, dbv);
    }

    /// <inheritdoc />
    public override void AdamStep(DeviceBuffer param, int paramOffset, DeviceBuffer grad, int gradOffset, DeviceBuffer m, DeviceBuffer v, int count,
        float lr, float beta1, float beta2, float eps, float weightDecay, int step, bool decoupled)
    {
        const string op = nameof(AdamStep);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        var pv = V(param, op);
        var gv = V(grad, op);
        var mv = V(m, op);
        var vv = V(v, op);
        if (count <= 0)
        {
            return;
        }
        double bc1 = 1.0 - Math.Pow(beta1, step);
        double bc2 = 1.0 - Math.Pow(beta2, step);
        var a = new AdamParams
        {
            Beta1 = beta1, Beta2 = beta2, Eps = eps,
            L2 = decoupled ? 0f : weightDecay,
            Decay = decoupled ? 1f - lr * weightDecay : 1f,
            StepSize = (float)(lr / bc1),
            InvSqrtBc2 = (float)(1.0 / Math.Sqrt(bc2)),
        };
        Kernel(ref _adam, acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>, ArrayView<float>, AdamParams>(OptimKernels.Adam))(
            Stream, count, pv, paramOffset, gv, gradOffset, mv, vv, a);
    }

    /// <inheritdoc />
    public override void SgdStep(DeviceBuffer param, int paramOffset, DeviceBuffer grad, int gradOffset, DeviceBuffer? momentumBuffer, int count,
        float lr, float momentum, float dampening, float weightDecay, bool nesterov, bool firstStep)
    {
        const string op = nameof(SgdStep);
        var pv = V(param, op);
        var gv = V(grad, op);
        bool useMomentum = momentum != 0f;
        if (useMomentum && momentumBuffer is null)
        {
            throw new ArgumentException($"{op}: momentum {momentum} needs a momentum buffer.");
        }
        var bv = useMomentum ? V(momentumBuffer!, op) : ArrayView<float>.Empty;
        if (count <= 0)
        {
            return;
        }
        var s = new SgdParams
        {
            Lr = lr, Momentum = momentum, WeightDecay = weightDecay,
            Keep = firstStep ? 0f : momentum, Add = firstStep ? 1f : 1f - dampening,
            UseMomentum = useMomentum ? 1 : 0, Nesterov = nesterov ? 1 : 0,
        };
        Kernel(ref _sgd, acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>, SgdParams>(OptimKernels.Sgd))(
            Stream, count, pv, paramOffset, gv, gradOffset, bv, s);
    }
}
