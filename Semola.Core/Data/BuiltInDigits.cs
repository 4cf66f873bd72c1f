namespace Semola.Core.Data;

/// <summary>
/// The 10,000 MNIST digits shipped with the project in data/mnist (gzip IDX files, classes
/// interleaved 0, 1, ..., 9, 0, 1, ...; see data/mnist/README.md for provenance and licence).
/// The files are copied next to the assemblies of every project that references Semola.Core;
/// they are looked up in data/mnist under the application base directory first, then in
/// data/mnist under the current directory and each of its parents, then under each parent of
/// the application base directory.
/// </summary>
public static class BuiltInDigits
{
    /// <summary>File name of the images (idx3-ubyte, gzip).</summary>
    public const string ImagesFileName = "images-idx3-ubyte.gz";

    /// <summary>File name of the labels (idx1-ubyte, gzip).</summary>
    public const string LabelsFileName = "labels-idx1-ubyte.gz";

    /// <summary>Number of digits in the shipped files.</summary>
    public const int Count = 10000;

    /// <summary>Number of classes.</summary>
    public const int NumClasses = 10;

    /// <summary>The folder, relative to a base directory or repository root, holding the files.</summary>
    public static readonly string RelativeDirectory = Path.Combine("data", "mnist");

    /// <summary>The directory holding both shipped files, or null if none of the searched places has them.</summary>
    public static string? TryFindDirectory() => Candidates().FirstOrDefault(HasBothFiles);

    /// <summary>The directory holding both shipped files.</summary>
    /// <exception cref="FileNotFoundException">No searched place has them; the message lists the places.</exception>
    public static string FindDirectory()
    {
        string? found = TryFindDirectory();
        if (found != null)
        {
            return found;
        }

        string searched = string.Join(Environment.NewLine, Candidates().Distinct().Select(c => "  " + c));
        throw new FileNotFoundException(
            $"The built-in MNIST digits ({RelativeDirectory}{Path.DirectorySeparatorChar}{ImagesFileName} and {LabelsFileName}) were not found. "
            + $"They are copied to the build output of projects referencing Semola.Core. Searched:{Environment.NewLine}{searched}",
            Path.Combine(RelativeDirectory, ImagesFileName));
    }

    /// <summary>Loads the 10,000 shipped digits (pixels in [0, 1], labels 0..9).</summary>
    /// <exception cref="FileNotFoundException">The files were not found.</exception>
    /// <exception cref="InvalidDataException">The files are malformed or do not hold 10,000 digits.</exception>
    public static ImageDataSet Load() => Load(FindDirectory());

    /// <summary>Loads the shipped digit files from the given directory.</summary>
    public static ImageDataSet Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string images = Path.Combine(directory, ImagesFileName);
        ImageDataSet set = IdxReader.LoadPair(images, Path.Combine(directory, LabelsFileName), NumClasses);
        if (set.Count != Count || set.Height != 28 || set.Width != 28)
        {
            throw new InvalidDataException($"{images}: expected {Count} images of 28x28, found {set.Count} of {set.Height}x{set.Width}.");
        }

        return set;
    }

    private static bool HasBothFiles(string directory) =>
        File.Exists(Path.Combine(directory, ImagesFileName)) && File.Exists(Path.Combine(directory, LabelsFileName));

    private static IEnumerable<string> Candidates()
    {
        string baseDirectory = AppContext.BaseDirectory;
        yield return Path.GetFullPath(Path.Combine(baseDirectory, RelativeDirectory));
        foreach (string start in new[] { Environment.CurrentDirectory, baseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir != null; dir = dir.Parent)
            {
                yield return Path.Combine(dir.FullName, RelativeDirectory);
            }
        }
    }
}
