using Semola.Autodiff.Nn;

namespace Semola.Core.Models;

/// <summary>
/// The reference base CNN of the RotatedMNIST experiments: five 3x3 convolutions (padding 1, no
/// bias) each followed by batch normalisation and ReLU, max pooling after the second and fourth,
/// global average pooling and a linear classifier. Each batch norm + ReLU pair is one fused layer
/// (<see cref="BatchNormReLU2d"/>) named "bn1".."bn5", so the parameter names are those of a
/// separate batch norm and ReLU.
/// <code>
/// conv1 1->32, bn1+relu | conv2 32->32, bn2+relu | pool1 2x2
/// conv3 32->64, bn3+relu | conv4 64->64, bn4+relu | pool2 2x2
/// conv5 64->128, bn5+relu | gap | fc 128->classes
/// </code>
/// </summary>
public static class BaseCnn
{
    /// <summary>Channel widths of the five convolutions.</summary>
    public static readonly IReadOnlyList<int> Widths = [32, 32, 64, 64, 128];

    /// <summary>Builds the network with seeded initial weights (parameters named "conv1.weight", "bn1.weight", ..., "fc.bias").</summary>
    public static Sequential Build(Random rng, int inChannels = 1, int numClasses = 10)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        var net = new Sequential();
        int c = inChannels;
        for (int i = 0; i < Widths.Count; i++)
        {
            int layer = i + 1;
            net.Add($"conv{layer}", new Conv2d(c, Widths[i], 3, rng, stride: 1, padding: 1, bias: false));
            net.Add($"bn{layer}", new BatchNormReLU2d(Widths[i]));
            if (layer is 2 or 4)
            {
                net.Add($"pool{layer / 2}", new MaxPool2d(2));
            }
            c = Widths[i];
        }
        net.Add("gap", new GlobalAvgPool2d());
        net.Add("fc", new Linear(c, numClasses, rng));
        return net;
    }
}
