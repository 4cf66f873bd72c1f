namespace Semola.Core.Data;

/// <summary>Which six texture classes <see cref="SyntheticTextures"/> draws.</summary>
public enum TextureClasses
{
    /// <summary>
    /// Pairs of classes that differ only subtly, in one statistic each, with the ink colour drawn alike for every
    /// class (the default): 0 small blobs and 1 larger blobs (sigma 1.1-1.5 against 1.5-1.9 px, the same expected ink
    /// coverage), 2 fine stripes and 3 coarser stripes (period 5-6 against 6-7.2 px), 4 aligned fibres and 5 fibres at
    /// random angles (the same elongated blobs, sigma 3 x 0.9 px, all along one direction or each along its own).
    /// </summary>
    Subtle,

    /// <summary>
    /// The first, easily told apart set: 0 fine purple blobs (sigma 0.9-1.3 px), 1 coarse purple blobs (2.6-3.4 px),
    /// 2 fine pink stripes (period 4-5 px), 3 coarse pink stripes (8-10 px), 4 fine pink blobs (class 0 in class 2's
    /// colour), 5 mauve fibres (sigma 3.5 x 0.8 px, all along one direction).
    /// </summary>
    Distinct,
}

/// <summary>
/// Generated RGB texture patches in six balanced classes, the offline stand-in for colorectal histology
/// (PathMNIST). Each class is a random texture drawn in its own canonical frame and then seen at a
/// uniformly random orientation (and, by default, mirrored with probability 1/2), so the label is
/// invariant to rotations and reflections of the patch and to nothing else in particular. The classes are
/// those of <see cref="TextureClasses"/>: by default pairs that differ only subtly (blob size, stripe period,
/// whether fibres are aligned), with colours that carry no class information, so a classifier has to read
/// texture statistics at every orientation.
/// Colours, sizes, densities and periods are jittered per patch, and pixel noise is added (sigma 0.08 for the
/// subtle classes, 0.03 for the distinct ones); values are clamped to [0, 1]. By default the patch is seen through a
/// round field of view (black outside the inscribed disc), the one shape a rotation maps onto itself. Labels are assigned round-robin
/// (0, 1, ..., 5, 0, ...), so every class has the same count when the total is a multiple of six.
/// </summary>
public static class SyntheticTextures
{
    /// <summary>Number of classes.</summary>
    public const int NumClasses = 6;

    /// <summary>Short class names of the default (subtle) classes, by label.</summary>
    public static readonly IReadOnlyList<string> ClassNames = Names(TextureClasses.Subtle);

    private static readonly double[] Background = [0.93, 0.86, 0.90];
    private static readonly double[] Purple = [0.42, 0.22, 0.60];
    private static readonly double[] Pink = [0.86, 0.45, 0.65];
    private static readonly double[] Mauve = [0.64, 0.33, 0.62];

    /// <summary>Short class names, by label, of a class set.</summary>
    public static IReadOnlyList<string> Names(TextureClasses classes) => classes switch
    {
        TextureClasses.Subtle => ["small-blobs", "large-blobs", "fine-stripes", "coarse-stripes", "aligned-fibres", "random-fibres"],
        TextureClasses.Distinct => ["fine-blobs", "coarse-blobs", "fine-stripes", "coarse-stripes", "pink-blobs", "fibres"],
        _ => throw new ArgumentOutOfRangeException(nameof(classes), classes, "Unknown texture class set."),
    };

    /// <summary>
    /// Generates <paramref name="count"/> patches of <paramref name="size"/> x <paramref name="size"/> RGB
    /// pixels (seeded: the same arguments give the same images).
    /// </summary>
    /// <param name="count">Number of patches.</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="size">Side length in pixels (28 as PathMNIST; at least 8).</param>
    /// <param name="maxAngleDegrees">Orientations are uniform in [-max, max] degrees (180: all orientations).</param>
    /// <param name="reflect">Whether to mirror each patch with probability 1/2.</param>
    /// <param name="classes">Which class set to draw.</param>
    /// <param name="circularField">Whether the patch is seen through a round field of view: pixels farther than
    /// size / 2 from the centre are 0 (black), as a microscope's field is round. Then a rotation about the centre
    /// (with the zero padding of the image action) maps the set of patches onto itself, which a square field does not
    /// (turned corners come in black), while translations and scalings move or resize the field.</param>
    public static ImageDataSet Generate(int count, int seed, int size = 28, double maxAngleDegrees = 180, bool reflect = true, TextureClasses classes = TextureClasses.Subtle, bool circularField = true) =>
        Generate(count, seed, out _, size, maxAngleDegrees, reflect, classes, circularField);

    /// <summary>As <see cref="Generate(int, int, int, double, bool, TextureClasses, bool)"/>, also returning each patch's orientation in radians.</summary>
    public static ImageDataSet Generate(int count, int seed, out float[] angles, int size = 28, double maxAngleDegrees = 180, bool reflect = true, TextureClasses classes = TextureClasses.Subtle, bool circularField = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        if (!(maxAngleDegrees >= 0 && maxAngleDegrees <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(maxAngleDegrees), maxAngleDegrees, "The angle range must lie in [0, 180] degrees.");
        }
        if (classes is not (TextureClasses.Subtle or TextureClasses.Distinct))
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "Unknown texture class set.");
        }

        bool subtle = classes == TextureClasses.Subtle;
        double noise = subtle ? 0.08 : 0.03;
        var rng = new Random(seed);
        int pixels = 3 * size * size;
        var data = new float[(long)count * pixels];
        var labels = new int[count];
        angles = new float[count];
        var intensity = new double[size * size];
        var colour = new double[3];
        var paper = new double[3];
        for (int n = 0; n < count; n++)
        {
            int label = n % NumClasses;
            labels[n] = label;
            double angle = (2 * rng.NextDouble() - 1) * maxAngleDegrees * Math.PI / 180;
            bool mirror = reflect && rng.NextDouble() < 0.5;
            angles[n] = (float)angle;
            Array.Clear(intensity);
            if (subtle)
            {
                RenderSubtle(label, angle, mirror, size, intensity, rng);
            }
            else
            {
                RenderDistinct(label, angle, mirror, size, intensity, rng);
            }

            if (subtle)
            {
                // One ink colour distribution for every class: a random mix of purple and pink.
                double mix = rng.NextDouble();
                for (int c = 0; c < 3; c++)
                {
                    colour[c] = (Purple[c] * (1 - mix)) + (Pink[c] * mix) + (0.05 * Gaussian(rng));
                    paper[c] = Background[c] + (0.03 * Gaussian(rng));
                }
            }
            else
            {
                double[] ink = label switch
                {
                    0 or 1 => Purple,
                    2 or 3 or 4 => Pink,
                    _ => Mauve,
                };
                for (int c = 0; c < 3; c++)
                {
                    colour[c] = ink[c] + (0.05 * Gaussian(rng));
                    paper[c] = Background[c] + (0.03 * Gaussian(rng));
                }
            }

            var image = data.AsSpan(n * pixels, pixels);
            for (int c = 0; c < 3; c++)
            {
                for (int p = 0; p < size * size; p++)
                {
                    double t = Math.Min(1.0, intensity[p]);
                    double v = (paper[c] * (1 - t)) + (colour[c] * t) + (noise * Gaussian(rng));
                    image[(c * size * size) + p] = circularField && !InField(p, size) ? 0f : (float)Math.Clamp(v, 0, 1);
                }
            }
        }

        return new ImageDataSet(data, labels, 3, size, size);
    }

    /// <summary>Whether pixel <paramref name="p"/> (row-major) of a <paramref name="size"/>-square patch lies in its round field of view.</summary>
    public static bool InField(int p, int size)
    {
        double centre = (size - 1) / 2.0, dx = (p % size) - centre, dy = (p / size) - centre;
        return (dx * dx) + (dy * dy) <= size * size / 4.0;
    }

    // The subtle classes' intensity (0 paper .. 1 ink) seen through the rotation (and mirror) of the patch.
    private static void RenderSubtle(int label, double angle, bool mirror, int size, double[] intensity, Random rng)
    {
        var canvas = new Canvas(angle, mirror, size, intensity);
        switch (label)
        {
            case 0 or 1:
            {
                // Round blobs; the density falls as 1 / sigma^2 so the expected ink coverage is the same for both sizes.
                double sigma = label == 0 ? 1.1 + (0.4 * rng.NextDouble()) : 1.5 + (0.4 * rng.NextDouble());
                double density = 0.05 * (1.3 / sigma) * (1.3 / sigma) * (0.8 + (0.4 * rng.NextDouble()));
                canvas.Blobs(sigma, sigma, density, independentAngles: false, rng);
                break;
            }

            case 2 or 3:
                canvas.Stripes(label == 2 ? 5 + rng.NextDouble() : 6 + (1.2 * rng.NextDouble()), 0.7 + (0.3 * rng.NextDouble()), rng);
                break;
            default:
                canvas.Blobs(3.0, 0.9, 0.025 + (0.01 * rng.NextDouble()), independentAngles: label == 5, rng);
                break;
        }
    }

    // The distinct classes' intensity (0 paper .. 1 ink) seen through the rotation (and mirror) of the patch.
    private static void RenderDistinct(int label, double angle, bool mirror, int size, double[] intensity, Random rng)
    {
        var canvas = new Canvas(angle, mirror, size, intensity);
        switch (label)
        {
            case 0 or 4:
                canvas.Blobs(0.9 + (0.4 * rng.NextDouble()), 0.9 + (0.4 * rng.NextDouble()), 0.055 + (0.02 * rng.NextDouble()), independentAngles: false, rng);
                break;
            case 1:
                canvas.Blobs(2.6 + (0.8 * rng.NextDouble()), 2.6 + (0.8 * rng.NextDouble()), 0.008 + (0.003 * rng.NextDouble()), independentAngles: false, rng);
                break;
            case 2 or 3:
                canvas.Stripes(label == 2 ? 4 + rng.NextDouble() : 8 + (2 * rng.NextDouble()), 1.0, rng);
                break;
            default:
                canvas.Blobs(3.5, 0.8, 0.03 + (0.01 * rng.NextDouble()), independentAngles: false, rng);
                break;
        }
    }

    // A patch's intensity map with its orientation: textures are described in a canonical (u, v) frame that is
    // mirrored (v -> -v), then rotated by the angle and centred on the patch.
    private readonly struct Canvas(double angle, bool mirror, int size, double[] intensity)
    {
        private readonly double _cos = Math.Cos(angle);
        private readonly double _sin = Math.Sin(angle);
        private readonly double _centre = (size - 1) / 2.0;
        private readonly double _reach = (size / Math.Sqrt(2)) + 6; // canonical-frame radius that covers the rotated patch

        // Parallel stripes across u with the given period, a random phase and the given contrast.
        public void Stripes(double period, double contrast, Random rng)
        {
            double phase = 2 * Math.PI * rng.NextDouble();
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    // The canonical u coordinate of the pixel (the inverse of the rotation; a mirror keeps u).
                    double dx = x - _centre, dy = y - _centre;
                    double u = (_cos * dx) + (_sin * dy);
                    intensity[(y * size) + x] = contrast * (0.5 + (0.5 * Math.Cos((2 * Math.PI * u / period) + phase)));
                }
            }
        }

        // Gaussian blobs with canonical-frame widths (sigmaU along u, sigmaV along v) at uniform random canonical
        // positions, splatted in pixel space with the patch's orientation; with independentAngles each blob is
        // further turned by its own uniform random angle.
        public void Blobs(double sigmaU, double sigmaV, double density, bool independentAngles, Random rng)
        {
            int blobs = (int)Math.Round(density * Math.PI * _reach * _reach);
            double cut = 3 * Math.Max(sigmaU, sigmaV);
            for (int b = 0; b < blobs; b++)
            {
                double u, v;
                do
                {
                    u = (2 * rng.NextDouble() - 1) * _reach;
                    v = (2 * rng.NextDouble() - 1) * _reach;
                }
                while ((u * u) + (v * v) > _reach * _reach);
                if (mirror)
                {
                    v = -v;
                }

                double px = _centre + (_cos * u) - (_sin * v), py = _centre + (_sin * u) + (_cos * v);
                double strength = 0.7 + (0.3 * rng.NextDouble());
                double own = independentAngles ? Math.PI * rng.NextDouble() : 0;
                double cos = Math.Cos(angle + own), sin = Math.Sin(angle + own);
                int x0 = Math.Max(0, (int)Math.Floor(px - cut)), x1 = Math.Min(size - 1, (int)Math.Ceiling(px + cut));
                int y0 = Math.Max(0, (int)Math.Floor(py - cut)), y1 = Math.Min(size - 1, (int)Math.Ceiling(py + cut));
                for (int y = y0; y <= y1; y++)
                {
                    for (int x = x0; x <= x1; x++)
                    {
                        double dx = x - px, dy = y - py;
                        double du = (cos * dx) + (sin * dy);
                        double dv = (-sin * dx) + (cos * dy);
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
