using Semola.Autodiff.Nn;

namespace Semola.Core.Models;

/// <summary>
/// A p4 group CNN (Cohen and Welling, 2016) shaped like <see cref="BaseCnn"/>: a lifting convolution
/// and four group convolutions over the four 90-degree rotations (3x3, padding 1, no bias), each
/// followed by rotation-shared batch normalisation and ReLU, max pooling after the second and fourth,
/// then pooling over the rotations, global average pooling and a linear classifier. Its output is
/// invariant to quarter-turn rotations of square inputs whose side is divisible by 4 (so that both
/// poolings tile the image exactly). Widths default to half the base CNN's per rotation, which gives
/// about the base CNN's parameter count (a group convolution has 4 x in x out x 9 weights), at about
/// four times its arithmetic.
/// <code>
/// lift in->16, bn1, relu | gconv2 16->16, bn2, relu | pool1 2x2
/// gconv3 16->32, bn3, relu | gconv4 32->32, bn4, relu | pool2 2x2
/// gconv5 32->64, bn5, relu | group max | gap | fc 64->classes
/// </code>
/// </summary>
public static class P4Cnn
{
    /// <summary>Default channel widths per rotation of the five convolutions.</summary>
    public static readonly IReadOnlyList<int> Widths = [16, 16, 32, 32, 64];

    /// <summary>
    /// Builds the network with seeded initial weights (parameters named "lift.weight", "bn1.norm.weight",
    /// "gconv2.weight", ..., "fc.bias").
    /// </summary>
    /// <param name="rng">Initialisation randomness.</param>
    /// <param name="inChannels">Input channels (1 for MNIST, 3 for RGB).</param>
    /// <param name="numClasses">Output classes.</param>
    /// <param name="widths">Five channel widths per rotation (default <see cref="Widths"/>).</param>
    /// <param name="groupPoolMax">Pool over the rotations by maximum (default) or mean.</param>
    public static Sequential Build(Random rng, int inChannels = 1, int numClasses = 10, IReadOnlyList<int>? widths = null, bool groupPoolMax = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        widths ??= Widths;
        if (widths.Count != 5 || widths.Any(w => w < 1))
        {
            throw new ArgumentException($"P4Cnn: expected five positive widths, found [{string.Join(", ", widths)}].", nameof(widths));
        }

        var net = new Sequential();
        net.Add("lift", new P4LiftingConv2d(inChannels, widths[0], 3, rng, padding: 1));
        net.Add("bn1", new P4BatchNorm(widths[0]));
        net.Add("relu1", new ReLU());
        for (int i = 1; i < 5; i++)
        {
            int layer = i + 1;
            net.Add($"gconv{layer}", new P4GroupConv2d(widths[i - 1], widths[i], 3, rng, padding: 1));
            net.Add($"bn{layer}", new P4BatchNorm(widths[i]));
            net.Add($"relu{layer}", new ReLU());
            if (layer is 2 or 4)
            {
                net.Add($"pool{layer / 2}", new MaxPool2d(2));
            }
        }

        net.Add("grouppool", new P4GroupPool(groupPoolMax));
        net.Add("gap", new GlobalAvgPool2d());
        net.Add("fc", new Linear(widths[4], numClasses, rng));
        return net;
    }
}
