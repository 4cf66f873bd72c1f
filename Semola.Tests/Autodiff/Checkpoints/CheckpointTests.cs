using Semola.Autodiff;
using Semola.Autodiff.Checkpoints;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Tests.Core.Data;

namespace Semola.Tests.Autodiff.Checkpoints;

public class CheckpointTests
{
    private static Sequential SmallNet(int seed)
    {
        var rng = new Random(seed);
        var net = new Sequential();
        net.Add("conv", new Conv2d(1, 4, 3, rng, padding: 1));
        net.Add("bn", new BatchNorm2d(4));
        net.Add("relu", new ReLU());
        net.Add("gap", new GlobalAvgPool2d());
        net.Add("fc", new Linear(4, 3, rng));
        return net;
    }

    private static Tensor Images(int seed) => Tensor.FromArray(TestTensors.Random(4 * 36, seed), [4, 1, 6, 6]);

    private static void TrainStep(Module net, Optimizer opt, int seed)
    {
        using var scope = new TensorScope();
        var loss = Losses.CrossEntropy(net.Forward(Images(seed)), [0, 1, 2, 1]);
        opt.Step(loss.Backward());
    }

    [Fact]
    public void RoundTrip_ReproducesOutputsAndOptimizerBitForBit()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.smla");
        var a = SmallNet(1);
        var optA = new Adam(a.Parameters(), 0.01f);
        TrainStep(a, optA, 10);
        TrainStep(a, optA, 11);
        Checkpoint.Save(path, a, optA);
        Assert.Equal([path], Directory.GetFiles(dir.Path));

        var b = SmallNet(2);
        var optB = new Adam(b.Parameters(), 0.01f);
        Checkpoint.Load(path, b, optB);
        Assert.Equal(2, optB.StepCount);
        a.Eval();
        b.Eval();
        Assert.Equal(a.Forward(Images(3)).ToArray(), b.Forward(Images(3)).ToArray());
        a.Train();
        b.Train();
        TrainStep(a, optA, 12);
        TrainStep(b, optB, 12);
        var pa = a.NamedParameters().Concat(a.NamedBuffers()).ToArray();
        var pb = b.NamedParameters().Concat(b.NamedBuffers()).ToArray();
        for (int i = 0; i < pa.Length; i++)
        {
            Assert.Equal(pa[i].Key, pb[i].Key);
            Assert.Equal(pa[i].Value.ToArray(), pb[i].Value.ToArray());
        }

        // A file saved with an optimizer loads without one; SGD state round-trips too.
        var c = SmallNet(3);
        Checkpoint.Load(path, c);
        var sgd = new Sgd(c.Parameters(), 0.1f, momentum: 0.9f);
        TrainStep(c, sgd, 1);
        Checkpoint.Save(path, c, sgd);
        var sgd2 = new Sgd(SmallNet(4).Parameters(), 0.1f, momentum: 0.9f);
        Checkpoint.Load(path, SmallNet(4), null);
        var d = SmallNet(5);
        var sgdD = new Sgd(d.Parameters(), 0.1f, momentum: 0.9f);
        Checkpoint.Load(path, d, sgdD);
        Assert.Equal(sgd.NamedState()[0].Value.ToArray(), sgdD.NamedState()[0].Value.ToArray());
        Assert.Equal([1L, 1, 1, 1, 1, 1], sgdD.ParameterSteps);
        Assert.NotNull(sgd2);
    }

    private static (TempDirectory Dir, string Path, byte[] Bytes) Saved()
    {
        var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "net.smla");
        Checkpoint.Save(path, SmallNet(1));
        return (dir, path, File.ReadAllBytes(path));
    }

    private static InvalidDataException LoadFails(string path, Module? into = null) =>
        Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, into ?? SmallNet(9)));

    [Fact]
    public void Truncated_NamesFileAndEntry()
    {
        var (dir, path, bytes) = Saved();
        using (dir)
        {
            File.WriteAllBytes(path, bytes[..^10]); // the last entry's data now runs into what must be the checksum
            var ex = LoadFails(path);
            Assert.Contains(path, ex.Message);
            Assert.Contains("truncated", ex.Message);
            Assert.True(ex.Message.Contains("'bn.running_var'", StringComparison.Ordinal), ex.Message);
            File.WriteAllBytes(path, bytes[..10]);
            Assert.Contains("truncated", LoadFails(path).Message);
        }
    }

    [Fact]
    public void WrongMagic_IsRejected()
    {
        var (dir, path, bytes) = Saved();
        using (dir)
        {
            bytes[0] = (byte)'X';
            File.WriteAllBytes(path, bytes);
            var ex = LoadFails(path);
            Assert.Contains(path, ex.Message);
            Assert.Contains("SMLA", ex.Message);
        }
    }

    [Fact]
    public void BadChecksum_IsRejectedAndNothingChanges()
    {
        var (dir, path, bytes) = Saved();
        using (dir)
        {
            bytes[bytes.Length - 40] ^= 0x10; // a data bit of the last entry
            File.WriteAllBytes(path, bytes);
            var target = SmallNet(9);
            var before = target.Parameters().Select(p => p.ToArray()).ToArray();
            var ex = LoadFails(path, target);
            Assert.Contains("checksum", ex.Message);
            Assert.Contains(path, ex.Message);
            Assert.Equal(before, target.Parameters().Select(p => p.ToArray()).ToArray());
        }
    }

    [Fact]
    public void ShapeOrNameMismatch_NamesTheEntry()
    {
        var (dir, path, _) = Saved();
        using (dir)
        {
            var wider = new Sequential();
            var rng = new Random(0);
            wider.Add("conv", new Conv2d(1, 4, 3, rng, padding: 1));
            wider.Add("bn", new BatchNorm2d(4));
            wider.Add("relu", new ReLU());
            wider.Add("gap", new GlobalAvgPool2d());
            wider.Add("fc", new Linear(4, 5, rng));
            var ex = LoadFails(path, wider);
            Assert.Contains("'fc.weight'", ex.Message);
            Assert.Contains("shape", ex.Message);

            var renamed = new Sequential();
            renamed.Add("conv", new Conv2d(1, 4, 3, rng, padding: 1));
            renamed.Add("norm", new BatchNorm2d(4));
            ex = LoadFails(path, renamed);
            Assert.Contains("'norm.weight'", ex.Message);

            ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, SmallNet(2), new Adam(SmallNet(2).Parameters())));
            Assert.Contains("optimizer", ex.Message);
        }
    }

    [Fact]
    public void InterruptedSave_LeavesTheOldFileIntact()
    {
        var (dir, path, bytes) = Saved();
        using (dir)
        {
            var net = SmallNet(7);
            ((Conv2d)net[0]).Bias!.Buffer.Dispose(); // the second entry cannot be read: the save fails midway
            Assert.Throws<ObjectDisposedException>(() => Checkpoint.Save(path, net));
            Assert.Equal(bytes, File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFiles(dir.Path));
            Checkpoint.Load(path, SmallNet(8));
        }
    }
}
