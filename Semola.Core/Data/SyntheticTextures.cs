namespace Semola.Core.Data;

/// <summary>
/// Generated RGB texture patches in six balanced classes, the offline stand-in for colorectal histology
/// (PathMNIST). Each class is a random texture drawn in its own canonical frame and then seen at a
/// uniformly random orientation (and, by default, mirrored with probability 1/2), so the label is
/// invariant to rotations and reflections of the patch and to nothing else in particular:
/// <list type="table">
/// <item><term>0 fine purple blobs</term><description>many small round blobs (sigma 0.9-1.3 px), purple.</description></item>
/// <item><term>1 coarse purple blobs</term><description>few large round blobs (sigma 2.6-3.4 px), purple.</description></item>
/// <item><term>2 fine stripes</term><description>parallel stripes, period 4-5 px, pink.</description></item>
/// <item><term>3 coarse stripes</term><description>parallel stripes, period 8-10 px, pink.</description></item>
/// <item><term>4 fine pink blobs</term><description>class 0's texture in class 2's colour (colour alone separates it from 0).</description></item>
/// <item><term>5 fibres</term><description>elongated blobs (sigma 3.5 x 0.8 px) all along one direction, purple-pink.</description></item>
/// </list>
/// Colours, sizes, densities and periods are jittered per patch, and pixel noise (sigma 0.03) is added;
/// values are clamped to [0, 1]. Labels are assigned round-robin (0, 1, ..., 5, 0, ...), so every class
/// has the same count when the total is a multiple of six.
/// </summary>
public static class SyntheticTextures
{
    /// <summary>Number of classes.</summary>
    public const int NumClasses = 6;

    /// <summary>Short class names, by label.</summary>
    public static readonly IReadOnlyList<string> ClassNames = ["fine-blobs", "coarse-blobs", "fine-stripes", "coarse-stripes", "pink-blobs", "fibres"];

    private static readonly double[] Background = [0.93, 0.86, 0.90];
    private static readonly double[] Purple = [0.42, 0.22, 0.60];
    private static readonly double[] Pink = [0.86, 0.45, 0.65];
    private static readonly double[] Mauve = [0.64, 0.33, 0.62];

    /// <summary>
    /// Generates <paramref name="count"/> patches of <paramref name="size"/> x <paramref name="size"/> RGB
    /// pixels (seeded: the same arguments give the same images).
    /// </summary>
    /// <param name="count">Number of patches.</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="size">Side length in pixels (28 as PathMNIST; at least 8).</param>
    /// <param name="maxAngleDegrees">Orientations are uniform in [-max, max] degrees (180: all orientations).</param>
    /// <param name="reflect">Whether to mirror each patch with probability 1/2.</param>
    public static ImageDataSet Generate(int count, int seed, int size = 28, double maxAngleDegrees = 180, bool reflect = true) =>
        Generate(count, seed, out _, size, maxAngleDegrees, reflect);

    /// <summary>As <see cref="Generate(int, int, int, double, bool)"/>, also returning each patch's orientation in radians.</summary>
    public static ImageDataSet Generate(int count, int seed, out float[] angles, int size = 28, double maxAngleDegrees = 180, bool reflect = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        if (!(maxAngleDegrees >= 0 && maxAngleDegrees <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(maxAngleDegrees), maxAngleDegrees, "The angle range must lie in [0, 180] degrees.");
        }

        var rng = new Random(seed);
        int pixels = 3 * size * size;
        var data = new float[(long)count * pixels];
        var labels = new int[count];
        angles = new float[count];
        var intensity = new double[size * size];
        for (int n = 0; n < count; n++)
        {
            int label = n % NumClasses;
            labels[n] = label;
            double angle = (2 * rng.NextDouble() - 1) * maxAngleDegrees * Math.PI / 180;
            bool mirror = reflect && rng.NextDouble() < 0.5;
            angles[n] = (float)angle;
            Array.Clear(intensity);
            Render(label, angle, mirror, size, intensity, rng);
            double[] ink = label switch
            {
                0 or 1 => Purple,
                2 or 3 or 4 => Pink,
                _ => Mauve,
            };
            var colour = new double[3];
            var paper = new double[3];
            for (int c = 0; c < 3; c++)
            {
                colour[c] = ink[c] + (0.05 * Gaussian(rng));
                paper[c] = Background[c] + (0.03 * Gaussian(rng));
            }

            var image = data.AsSpan(n * pixels, pixels);
            for (int c = 0; c < 3; c++)
            {
                for (int p = 0; p < size * size; p++)
                {
                    double t = Math.Min(1.0, intensity[p]);
                    double v = (paper[c] * (1 - t)) + (colour[c] * t) + (0.03 * Gaussian(rng));
                    image[(c * size * size) + p] = (float)Math.Clamp(v, 0, 1);
                }
            }
        }

        return new ImageDataSet(data, labels, 3, size, size);
    }

    // Draws the class's texture intensity (0 paper .. 1 ink) seen through the rotation (and mirror) of the patch.
    private static void Render(int label, double angle, bool mirror, int size, double[] intensity, Random rng)
    {
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double centre = (size - 1) / 2.0;
        double reach = (size / Math.Sqrt(2)) + 6; // canonical-frame radius that covers the rotated patch

        // Maps a canonical-frame point to pixel coordinates: mirror, then rotate, then shift to the centre.
        (double X, double Y) ToPixel(double u, double v)
        {
            if (mirror)
            {
                v = -v;
            }

            return (centre + (cos * u) - (sin * v), centre + (sin * u) + (cos * v));
        }

        switch (label)
        {
            case 0 or 4:
                Blobs(0.9 + (0.4 * rng.NextDouble()), 0.9 + (0.4 * rng.NextDouble()), 0.055 + (0.02 * rng.NextDouble()));
                break;
            case 1:
                Blobs(2.6 + (0.8 * rng.NextDouble()), 2.6 + (0.8 * rng.NextDouble()), 0.008 + (0.003 * rng.NextDouble()));
                break;
            case 2 or 3:
            {
                double period = label == 2 ? 4 + rng.NextDouble() : 8 + (2 * rng.NextDouble());
                double phase = 2 * Math.PI * rng.NextDouble();
                for (int y = 0; y < size; y++)
                {
                    for (int x = 0; x < size; x++)
                    {
                        // The canonical u coordinate of the pixel (inverse of ToPixel).
                        double dx = x - centre, dy = y - centre;
                        double u = (cos * dx) + (sin * dy);
                        intensity[(y * size) + x] = 0.5 + (0.5 * Math.Cos((2 * Math.PI * u / period) + phase));
                    }
                }

                break;
            }

            default:
                Blobs(3.5, 0.8, 0.03 + (0.01 * rng.NextDouble()));
                break;
        }

        // Gaussian blobs with canonical-frame widths (sigmaU along u, sigmaV along v) at uniform random
        // canonical positions, splatted in pixel space with the patch's orientation.
        void Blobs(double sigmaU, double sigmaV, double density)
        {
            int blobs = (int)Math.Round(density * Math.PI * reach * reach);
            double cut = 3 * Math.Max(sigmaU, sigmaV);
            for (int b = 0; b < blobs; b++)
            {
                double u, v;
                do
                {
                    u = (2 * rng.NextDouble() - 1) * reach;
                    v = (2 * rng.NextDouble() - 1) * reach;
                }
                while ((u * u) + (v * v) > reach * reach);
                var (px, py) = ToPixel(u, v);
                double strength = 0.7 + (0.3 * rng.NextDouble());
                int x0 = Math.Max(0, (int)Math.Floor(px - cut)), x1 = Math.Min(size - 1, (int)Math.Ceiling(px + cut));
                int y0 = Math.Max(0, (int)Math.Floor(py - cut)), y1 = Math.Min(size - 1, (int)Math.Ceiling(py + cut));
                for (int y = y0; y <= y1; y++)
                {
                    for (int x = x0; x <= x1; x++)
                    {
                        double dx = x - px, dy = y - py;
                        double du = (cos * dx) + (sin * dy);
                        double dv = (-sin * dx) + (cos * dy);
                        if (mirror)
                        {
                            dv = -dv;
                        }

                        intensity[(y * size) + x] += strength * Math.Exp(-0.5 * (((du * du) / (sigmaU * sigmaU)) + ((dv * dv) / (sigmaV * sigmaV))));
                    }
                }
            }
        }
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
