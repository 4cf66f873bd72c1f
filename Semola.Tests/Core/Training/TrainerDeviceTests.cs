using Semola.Core.Method;
using Semola.Core.Training;
using Semola.Kernels;
using Semola.Tests.Kernels.Ilgpu;

namespace Semola.Tests.Core.Training;

/// <summary>Every (task, method) pair trains on ILGPU's CPU accelerator with the losses and metrics of the CPU backend.</summary>
public class TrainerDeviceTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    private static EpochRecord[] Run(string task, string method, Device device, int recomputeBatches = 0)
    {
        var (training, methods) = TrainerTests.Options(device, epochs: 1);
        training = training with { RecomputeBatchNormBatches = recomputeBatches };
        var trainer = new Trainer(TrainerTests.Task(task), MethodCatalog.Create(method), training, methods);
        Assert.All(trainer.Modules, m => Assert.All(m.Module.Parameters(), p => Assert.Same(device, p.Device)));
        var records = new List<EpochRecord>();
        while (trainer.History.Count < trainer.TotalEpochs)
        {
            records.Add(trainer.RunEpoch());
        }
        return [.. records];
    }

    private static void Close(double expected, double actual, string what)
    {
        double tol = 2e-3 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: cpu {expected}, ilgpu-cpu {actual}");
    }

    [Theory]
    [MemberData(nameof(TrainerTests.Pairs), MemberType = typeof(TrainerTests))]
    public void EpochOnIlgpuCpuMatchesCpu(string task, string method) => Compare(task, method, 0);

    // The recomputed batch-norm statistics come from the run's device: validation on the simulator
    // matches the CPU's, and differs from the validation without recomputation.
    [Theory]
    [InlineData("base")]
    [InlineData("semola")]
    public void RecomputedBatchNormStatisticsOnIlgpuCpuMatchCpu(string method)
    {
        Compare("images", method, 2);
        var plain = Run("images", method, Device.Cpu);
        var recomputed = Run("images", method, Device.Cpu, 2);
        Assert.NotEqual(plain[0].Validation["invariance_kl"], recomputed[0].Validation["invariance_kl"]);
    }

    private void Compare(string task, string method, int recomputeBatches)
    {
        var cpu = Run(task, method, Device.Cpu, recomputeBatches);
        var gpu = Run(task, method, fixture.Device, recomputeBatches);
        Assert.Equal(cpu.Length, gpu.Length);
        for (int e = 0; e < cpu.Length; e++)
        {
            Assert.Equal(cpu[e].Losses.Keys, gpu[e].Losses.Keys);
            foreach (var (k, v) in cpu[e].Losses)
            {
                Close(v, gpu[e].Losses[k], $"epoch {e + 1} loss {k}");
            }
            foreach (var (k, v) in cpu[e].Validation.Where(kv => !kv.Key.Contains("violation")))
            {
                Close(v, gpu[e].Validation[k], $"epoch {e + 1} validation {k}");
            }
        }
    }
}
